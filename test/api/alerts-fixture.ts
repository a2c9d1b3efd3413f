// A real server for the alert tests: buildApp on a real SQLite data
// directory, listening on 127.0.0.1, with the ledger's clock (received_at,
// the alert rules' clock) in the test's hand, and the alert follower's tick
// every 50 ms. Tenant acme with an admin, ingest and auditor key; restarts
// reopen the same directory with the same keys.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromUtf8 } from "@trailproof/core";
import { type DataDir, issueApiKey, openDataDir, provisionTenant } from "@trailproof/ledger";
import { buildApp, createMetrics, DEFAULT_CONFIG, type ServerConfig } from "@trailproof/server";
import type { FastifyInstance } from "fastify";
import { afterEach } from "vitest";
import { sendJson } from "../send-json.js";

export interface Clock {
  ms: number;
}

export interface AlertKeys {
  admin: string;
  ingest: string;
  auditor: string;
  viewer: string;
}

export interface AlertServer {
  url: string;
  app: FastifyInstance;
  data: DataDir;
  dataDir: string;
  keys: AlertKeys;
  clock: Clock;
  call(method: string, path: string, key: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Appends events through POST /v1/events; throws unless every one was created. */
  ingest(events: Record<string, unknown>[]): Promise<string[]>;
  /** Resolves once the alert follower has applied every committed entry (and what it appended). */
  settled(): Promise<void>;
  /** Every event of acme's log, in log order. */
  log(): Promise<Record<string, any>[]>;
  close(): Promise<void>;
}

export async function startAlertServer(
  options: {
    dataDir?: string;
    keys?: AlertKeys;
    clock?: Clock;
    beforeSave?: (tenantId: number) => void | Promise<void>;
    alertTickMs?: number;
    /** Settings over the test defaults (the notification worker's pace, say). */
    config?: Partial<ServerConfig>;
  } = {},
): Promise<AlertServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "trailproof-alerts-"));
  // The meta-audit stamps occurred_at with the wall clock: the test clock starts at it and only moves on.
  const clock = options.clock ?? { ms: Math.ceil(Date.now() / 3_600_000) * 3_600_000 };
  const data = await openDataDir({ dataDir, checkpointIntervalMs: 0, now: () => clock.ms });
  const config = {
    ...DEFAULT_CONFIG,
    dataDir,
    checkpointIntervalMs: 0,
    alertTickMs: options.alertTickMs ?? 50,
    ...options.config,
  };
  const app = await buildApp({
    ...data,
    config,
    metrics: createMetrics(),
    logger: false,
    ...(options.beforeSave ? { alertFollower: { beforeSave: options.beforeSave } } : {}),
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  let keys = options.keys;
  if (keys === undefined) {
    const made = await provisionTenant(data.ledger, data.access, "acme", { createdBy: "test" });
    const issue = async (role: "ingest" | "auditor" | "viewer") =>
      (await issueApiKey(data.access, { tenantId: made.tenant.tenantId, role, name: role, createdBy: "test" })).key;
    keys = {
      admin: made.adminKey,
      ingest: await issue("ingest"),
      auditor: await issue("auditor"),
      viewer: await issue("viewer"),
    };
  }
  const call: AlertServer["call"] = async (method, path, key, body) => {
    const res = await sendJson(method, `${url}${path}`, key, body);
    const text = await res.text();
    return { status: res.status, body: text === "" ? undefined : JSON.parse(text) };
  };
  const alertsFollower = () => {
    const f = data.ledger.followers.find((x) => x.name === "alerts");
    if (f === undefined) throw new Error("no alert follower");
    return f;
  };
  return {
    url,
    app,
    data,
    dataDir,
    keys,
    clock,
    call,
    async ingest(events) {
      const res = await call("POST", "/v1/events", keys.ingest, { events });
      const results = (res.body?.results ?? []) as { id: string; status: string }[];
      if (res.status !== 200 || results.some((r) => r.status !== "created")) {
        throw new Error(`events were not all created: ${JSON.stringify(res.body)}`);
      }
      return results.map((r) => r.id);
    },
    async settled() {
      await data.settled();
      await alertsFollower().idle();
      await data.settled();
    },
    async log() {
      const size = await data.ledger.treeSize("acme");
      const entries = await data.ledger.readEntries("acme", 0, size);
      return entries.map((e) => JSON.parse(fromUtf8(e.leafData)));
    },
    async close() {
      await app.close();
      await data.ledger.close();
    },
  };
}

/** The alert.raise events of a log, by alert id, in log order. */
export function raisedIds(log: Record<string, any>[]): string[] {
  return log.filter((e) => e.action === "alert.raise").map((e) => e.id as string);
}

/** Resolves once `check` holds, polling every 25 ms; fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error("condition did not hold in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A file's alert servers: `server(options)` starts one that is closed after
 * the test; `forget(s)` drops one the test closed itself.
 */
export function alertServers() {
  const servers: AlertServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
  });
  return {
    async server(options: Parameters<typeof startAlertServer>[0] = {}): Promise<AlertServer> {
      const s = await startAlertServer(options);
      servers.push(s);
      return s;
    },
    forget(s: AlertServer): void {
      servers.splice(servers.indexOf(s), 1);
    },
  };
}

export const iso = (ms: number) => new Date(ms).toISOString();
let seq = 0;
/** An event id unique in the test file: `prefix_n`. */
export function uid(prefix: string): string {
  seq += 1;
  return `${prefix}_${seq}`;
}

/** `actor` granting itself admin. */
export const grantSelf = (actor: string, atMs: number) => ({
  id: uid("grant"),
  action: "permission.grant",
  occurred_at: iso(atMs),
  actor: { type: "user", id: actor },
  target: { type: "user", id: actor },
  metadata: { permission: "admin" },
});

/** `actor` exporting the salaries table. */
export const exportBy = (actor: string, atMs: number) => ({
  id: uid("export"),
  action: "record.export",
  occurred_at: iso(atMs),
  actor: { type: "user", id: actor },
  target: { type: "table", id: "tbl_salaries" },
});
