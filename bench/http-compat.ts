// Drop-in ingest over HTTP: events/s through each compat endpoint
// (docs/compat.md) against native POST /v1/events, on one service in one
// run, each in the request shape its real client sends (WorkOS: one event
// per request; the others: batches of 100). Each compat load is set against
// its native twin: the very events that endpoint stored, read back and sent
// again to POST /v1/events with new ids in the same batch size, so the ratio
// is the cost of the wire format and the mapping, not of different events.
import { mkdirSync } from "node:fs";
import { Agent } from "node:http";
import { join } from "node:path";
import { isServiceAction } from "@trailproof/core";
import {
  COMPAT_START_MS,
  type CompatBody,
  cloudEventsBatch,
  kubernetesEventList,
  opaDecisions,
  otlpLogs,
  otlpProtobufLogs,
  retracedBulk,
  workosEvent,
} from "./compat-bodies.js";
import { ingestBodies, tenantKeysOn, waitForFollowers } from "./http-ingest.js";
import { type HttpResponse, httpCall, type LoadResult, runLoad } from "./http-load.js";
import { startServerChild } from "./server-child.js";
import { progress } from "./stats.js";

export interface CompatLoad {
  endpoint: string;
  load: LoadResult;
  /** The same stored events sent again to POST /v1/events, same events per request. */
  nativeTwin: LoadResult;
  /** Average canonical-ish JSON size of one stored event of this load. */
  eventBytes: number;
}

export interface HttpCompatRun {
  /** The bench's own native events (larger than most mapped ones), for scale. */
  native: { batch: LoadResult; single: LoadResult };
  loads: CompatLoad[];
}

export interface HttpCompatOptions {
  logLevel: string;
  seconds: number;
  clients: number;
  batch: number;
  maxEvents: number;
}

const TENANT = "bench";
/** How many of a load's stored events its native twin cycles through. */
const TWIN_POOL = 500;
/** Committed-event members the service stamps, which a sender may not send (event-schema.md). */
const STAMPED = ["schema_version", "action_version", "received_at", "appended_by", "privacy"];

/**
 * `count` of the events a compat load stored (each load's events occur on a day of their
 * own, compat-bodies.ts), as envelopes a sender could post again:
 * the stamped members dropped. Read with the admin key, which sees personal values.
 */
async function storedEnvelopes(
  url: string,
  adminKey: string,
  day: number,
  count: number,
): Promise<Record<string, unknown>[]> {
  const from = new Date(COMPAT_START_MS + day * 86_400_000).toISOString();
  const to = new Date(COMPAT_START_MS + (day + 1) * 86_400_000).toISOString();
  const agent = new Agent();
  try {
    const out: Record<string, unknown>[] = [];
    let cursor: string | undefined;
    while (out.length < count) {
      const page = Math.min(500, count - out.length);
      const res = await httpCall(
        agent,
        `${url}/v1/events?from=${from}&to=${to}&limit=${page}${cursor ? `&cursor=${cursor}` : ""}`,
        {
          method: "GET",
          key: adminKey,
        },
      );
      if (res.status !== 200) throw new Error(`GET /v1/events: ${res.status} ${res.body.slice(0, 200)}`);
      const body = JSON.parse(res.body) as { events: { event: Record<string, unknown> }[]; next_cursor: string | null };
      for (const { event } of body.events) {
        // The service's own records (this very read's meta-audit among them) are not the load's.
        if (isServiceAction(event.action)) continue;
        const envelope = { ...event };
        for (const k of STAMPED) delete envelope[k];
        out.push(envelope);
      }
      if (!body.next_cursor || body.events.length === 0) break;
      cursor = encodeURIComponent(body.next_cursor);
    }
    return out;
  } finally {
    agent.destroy();
  }
}

/** POST /v1/events bodies of `batch` events from `pool`, each with a new id. */
function twinBodies(pool: readonly Record<string, unknown>[], batch: number, tag: string): (n: number) => string {
  return (n) => {
    const events = Array.from({ length: batch }, (_, k) => ({
      ...pool[(n * batch + k) % pool.length],
      id: `${tag}-${n}-${k}`,
    }));
    return batch === 1 ? JSON.stringify(events[0]) : JSON.stringify({ events });
  };
}
const ok2xx = (res: HttpResponse) => res.status >= 200 && res.status < 300;
const otlpAccepted = (res: HttpResponse) => res.status === 200 && !/"rejectedLogRecords"\s*:\s*"?[1-9]/.test(res.body);

export async function runHttpCompat(dir: string, o: HttpCompatOptions): Promise<HttpCompatRun> {
  const dataDir = join(dir, "compat-data");
  mkdirSync(dataDir, { recursive: true });
  const server = await startServerChild({ dataDir, logLevel: o.logLevel });
  try {
    const { adminKey, ingestKey: key } = await tenantKeysOn(server, TENANT);
    const agent = new Agent();
    const settings = await httpCall(agent, `${server.url}/v1/settings`, {
      method: "PATCH",
      key: adminKey,
      body: JSON.stringify({ unknown_actions: "accept" }),
    });
    agent.destroy();
    if (settings.status !== 200) throw new Error(`PATCH /v1/settings: ${settings.status} ${settings.body}`);
    const runOne = async (
      label: string,
      path: string,
      batch: number,
      clients: number,
      make: (n: number) => CompatBody | string,
      accepted?: (res: HttpResponse) => boolean,
    ) => {
      await waitForFollowers(server);
      progress(`  ${label} ...`);
      const bodies = new Map<number, CompatBody>();
      const of = (n: number): CompatBody => {
        let b = bodies.get(n);
        if (!b) {
          const made = make(n);
          b = typeof made === "string" ? { body: made, headers: {} } : made;
          bodies.set(n, b);
        }
        return b;
      };
      return runLoad({
        url: `${server.url}${path}`,
        key,
        clients,
        durationMs: o.seconds * 1000,
        maxRequests: Math.ceil(o.maxEvents / batch),
        eventsPerRequest: batch,
        // The body is made first, then its headers: one entry per request, dropped once used.
        body: (n) => of(n).body,
        headers: (n) => {
          const h = of(n).headers;
          bodies.delete(n);
          return h;
        },
        ...(accepted ? { accepted } : {}),
      });
    };
    const b = o.batch;
    // A warm-up the figures leave out: the first requests of a new service pay for its start.
    await runOne("warm-up", "/v1/events", b, o.clients, ingestBodies(b, "w"));
    const native = {
      batch: await runOne(`native POST /v1/events, batches of ${b}`, "/v1/events", b, o.clients, ingestBodies(b, "n")),
      single: await runOne("native POST /v1/events, single events", "/v1/events", 1, o.clients, ingestBodies(1, "m")),
    };
    const compat = async (
      endpoint: string,
      path: string,
      batch: number,
      make: (day: number) => (n: number) => CompatBody,
      accepted: (res: HttpResponse) => boolean,
    ): Promise<CompatLoad> => {
      const day = loads.length;
      const load = await runOne(endpoint, path, batch, o.clients, make(day), accepted);
      await waitForFollowers(server);
      const pool = await storedEnvelopes(server.url, adminKey, day, Math.min(TWIN_POOL, load.events));
      if (pool.length === 0) throw new Error(`${endpoint}: nothing stored to send again natively (${load.firstError})`);
      progress(`    its native twin: ${pool.length} stored ${String(pool[0]?.action)} events sent again`);
      const tag = `twin${loads.length}`;
      const nativeTwin = await runOne(
        `  its native twin`,
        "/v1/events",
        batch,
        o.clients,
        twinBodies(pool, batch, tag),
      );
      const eventBytes = Math.round(pool.reduce((sum, e) => sum + JSON.stringify(e).length, 0) / pool.length);
      return { endpoint, load, nativeTwin, eventBytes };
    };
    const loads: CompatLoad[] = [];
    loads.push(
      await compat(
        `Retraced bulk`,
        `/publisher/v1/project/${TENANT}/event/bulk`,
        b,
        (day) => retracedBulk(key, b, day),
        (r) => r.status === 201,
      ),
    );
    loads.push(
      await compat(
        "WorkOS createEvent",
        "/audit_logs/events",
        1,
        (day) => workosEvent(TENANT, day),
        (r) => r.status === 201,
      ),
    );
    loads.push(await compat("OTLP/HTTP JSON logs", "/v1/logs", b, (day) => otlpLogs(b, day), otlpAccepted));
    loads.push(
      await compat(
        "OTLP/HTTP protobuf logs",
        "/v1/logs",
        b,
        (day) => otlpProtobufLogs(b, day),
        // A protobuf ExportLogsServiceResponse without partial_success encodes to no bytes.
        (r) => r.status === 200 && r.body.length === 0,
      ),
    );
    loads.push(await compat("CloudEvents batch", "/v1/cloudevents", b, (day) => cloudEventsBatch(b, day), ok2xx));
    loads.push(await compat("OPA decision logs, gzip", "/opa/logs", b, (day) => opaDecisions(b, day), ok2xx));
    loads.push(
      await compat("Kubernetes audit EventList", "/k8s/audit", b, (day) => kubernetesEventList(b, day), ok2xx),
    );
    return { native, loads };
  } finally {
    await server.close();
  }
}
