// Reading through the service: GET /v1/events latency for one typical query,
// and a full GET /v1/export streamed to the end while the server's memory is
// watched, on a data directory the in-process phase (or the large-log
// builder) wrote.
import { Agent, get } from "node:http";
import { httpCall } from "./http-load.js";
import type { RssPeak } from "./rss-sampler.js";
import { httpSearchPath } from "./search-cases.js";
import { timeCalls } from "./search-latency.js";
import { startServerChild } from "./server-child.js";
import { type LatencySummary, perSecond } from "./stats.js";

export interface HttpReadRun {
  search: { query: string; latency: LatencySummary } | null;
  export: { events: number; mb: number; seconds: number; eventsPerSecond: number; rss: RssPeak; startRssMb: number };
}

/** Streams GET /v1/export to the end, keeping only its header line and a byte count. */
function streamExport(url: string, key: string): Promise<{ treeSize: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { authorization: `Bearer ${key}` } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`GET /v1/export: ${res.statusCode}`));
        res.resume();
        return;
      }
      let head = "";
      let bytes = 0;
      res.on("data", (c: Buffer) => {
        if (!head.includes("\n")) head += c.subarray(0, 65_536).toString();
        bytes += c.length;
      });
      res.on("end", () => {
        const header = JSON.parse(head.slice(0, head.indexOf("\n"))) as { tree_size: number };
        resolve({ treeSize: header.tree_size, bytes });
      });
      res.on("error", reject);
    }).on("error", reject);
  });
}

export async function runHttpRead(
  dataDir: string,
  adminKey: string,
  options: { logLevel: string; searchIterations: number },
): Promise<HttpReadRun> {
  const server = await startServerChild({ dataDir, logLevel: options.logLevel });
  try {
    let search: HttpReadRun["search"] = null;
    if (options.searchIterations > 0) {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const latency = await timeCalls(options.searchIterations, async (i) => {
        const res = await httpCall(agent, `${server.url}${httpSearchPath(i)}`, { method: "GET", key: adminKey });
        if (res.status !== 200) throw new Error(`GET /v1/events: ${res.status} ${res.body.slice(0, 200)}`);
      });
      agent.destroy();
      search = { query: "GET /v1/events?actor_id=<one of 4>&limit=50", latency };
    }
    server.rss.start();
    const t0 = performance.now();
    const { treeSize: events, bytes } = await streamExport(`${server.url}/v1/export`, adminKey);
    const ms = performance.now() - t0;
    const rss = server.rss.stop();
    return {
      search,
      export: {
        events,
        mb: Math.round((bytes / 2 ** 20) * 10) / 10,
        seconds: Math.round(ms) / 1000,
        eventsPerSecond: perSecond(events, ms),
        rss,
        startRssMb: server.startRssMb,
      },
    };
  } finally {
    await server.close();
  }
}
