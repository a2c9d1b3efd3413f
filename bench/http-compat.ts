// Drop-in ingest over HTTP: events/s through each compat endpoint
// (docs/compat.md) against native POST /v1/events, on one service in one
// run, each in the request shape its real client sends (WorkOS: one event
// per request, so it is set against native single events; the others:
// batches, against native batches of the same size).
import { mkdirSync } from "node:fs";
import { Agent } from "node:http";
import { join } from "node:path";
import {
  type CompatBody,
  cloudEventsBatch,
  kubernetesEventList,
  opaDecisions,
  otlpLogs,
  retracedBulk,
  workosEvent,
} from "./compat-bodies.js";
import { ingestBodies, tenantKeysOn, waitForFollowers } from "./http-ingest.js";
import { type HttpResponse, httpCall, type LoadResult, runLoad } from "./http-load.js";
import { startServerChild } from "./server-child.js";
import { progress } from "./stats.js";

export interface CompatLoad {
  endpoint: string;
  /** The native load this one is compared with (same events per request). */
  versus: string;
  load: LoadResult;
}

export interface HttpCompatRun {
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
    const load = async (
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
    await load("warm-up", "/v1/events", b, o.clients, ingestBodies(b, "w"));
    const native = {
      batch: await load(`native POST /v1/events, batches of ${b}`, "/v1/events", b, o.clients, ingestBodies(b, "n")),
      single: await load("native POST /v1/events, single events", "/v1/events", 1, o.clients, ingestBodies(1, "m")),
    };
    const batchNote = `native, batches of ${b}`;
    const loads: CompatLoad[] = [
      {
        endpoint: `Retraced bulk (${b} per request)`,
        versus: batchNote,
        load: await load(
          "Retraced",
          `/publisher/v1/project/${TENANT}/event/bulk`,
          b,
          o.clients,
          retracedBulk(key, b),
          (r) => r.status === 201,
        ),
      },
      {
        endpoint: "WorkOS createEvent (1 per request)",
        versus: "native, single events",
        load: await load("WorkOS", "/audit_logs/events", 1, o.clients, workosEvent(TENANT), (r) => r.status === 201),
      },
      {
        endpoint: `OTLP/HTTP JSON logs (${b} per request)`,
        versus: batchNote,
        load: await load("OTLP", "/v1/logs", b, o.clients, otlpLogs(b), otlpAccepted),
      },
      {
        endpoint: `CloudEvents batch (${b} per request)`,
        versus: batchNote,
        load: await load("CloudEvents", "/v1/cloudevents", b, o.clients, cloudEventsBatch(b), ok2xx),
      },
      {
        endpoint: `OPA decision logs, gzip (${b} per request)`,
        versus: batchNote,
        load: await load("OPA", "/opa/logs", b, o.clients, opaDecisions(b), ok2xx),
      },
      {
        endpoint: `Kubernetes audit EventList (${b} per request)`,
        versus: batchNote,
        load: await load("Kubernetes", "/k8s/audit", b, o.clients, kubernetesEventList(b), ok2xx),
      },
    ];
    return { native, loads };
  } finally {
    await server.close();
  }
}
