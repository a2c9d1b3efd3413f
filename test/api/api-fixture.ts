// The in-process API under test: buildApp on a real SQLite data directory in a
// temp folder, tenants acme and globex with a key of every role each, an
// operator key, and events appended through each tenant's ingest key.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DataDir, issueApiKey, openDataDir, provisionTenant } from "@trailproof/ledger";
import type { TenantRole } from "@trailproof/protocol";
import { buildApp, createMetrics, DEFAULT_CONFIG, type ServerConfig, sampleEvents } from "@trailproof/server";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";

export type Keys = Record<TenantRole, string>;
type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface ApiFixture {
  app: FastifyInstance;
  data: DataDir;
  dataDir: string;
  config: ServerConfig;
  acme: Keys;
  globex: Keys;
  operator: string;
  /** Key ids (the `apikey:<keyId>` of meta-audit actors) by tenant and role. */
  keyIds: { acme: Keys; globex: Keys; operator: string };
  /** Event ids appended to each tenant by the fixture, in order. */
  eventIds: { acme: string[]; globex: string[] };
  /** The events as the fixture sent them, in order. */
  sent: { acme: Record<string, unknown>[]; globex: Record<string, unknown>[] };
  /** Status of every response `request` has received, for "never a 500" checks. */
  statuses: number[];
  /** Resolves once the search projection covers every committed entry (at once where the store indexes in the commit). */
  settled(): Promise<void>;
  /** Another app over the same data directory with some settings changed; the caller closes it. */
  appWith(config: Partial<ServerConfig>): Promise<FastifyInstance>;
  /** Sends a request; a non-string body is sent as JSON, a string as it is (with the headers given). */
  request(
    method: Method,
    url: string,
    key?: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** Event time of the fixture's events: 2026-11-02 from 08:00 UTC on. */
export const EVENTS_START_MS = Date.UTC(2026, 10, 2, 8, 0, 0);

/**
 * A nested automation: a user updates a record (acme_chain_root), which starts
 * run_chain (two steps, the first caused by the root), whose second step starts
 * run_child (one step caused by it).
 */
export function automationChain(prefix: string, startMs: number): Record<string, unknown>[] {
  const at = (s: number) => new Date(startMs + s * 1000).toISOString();
  const step = (id: string, s: number, run: string, step: string, causedBy: string) => ({
    id: `${prefix}_${id}`,
    action: "record.update",
    occurred_at: at(s),
    actor: { type: "automation", id: "wf_enrich" },
    target: { type: "record", id: "rec_chain" },
    automation: { origin: "workflow", workflow_id: "wf_enrich", run_id: `${prefix}_${run}`, step, caused_by: causedBy },
    change: { before: { score: s }, after: { score: s + 1 } },
  });
  return [
    {
      id: `${prefix}_chain_root`,
      action: "record.update",
      occurred_at: at(0),
      actor: { type: "user", id: "usr_ada", name: "Ada Lovelace" },
      target: { type: "record", id: "rec_chain" },
      context: { ip: "203.0.113.50" },
      change: { before: { score: 0 }, after: { score: 1 } },
    },
    step("chain_a", 1, "run_chain", "enrich", `${prefix}_chain_root`),
    step("chain_b", 2, "run_chain", "score", `${prefix}_chain_a`),
    step("chain_c", 3, "run_child", "notify", `${prefix}_chain_b`),
  ];
}

async function keysFor(data: DataDir, tenantId: number, admin: { key: string; keyId: string }) {
  const keys = { admin: admin.key } as Keys;
  const ids = { admin: admin.keyId } as Keys;
  for (const role of ["ingest", "viewer", "auditor"] as const) {
    const issued = await issueApiKey(data.access, { tenantId, role, name: `${role} key`, createdBy: "test" });
    keys[role] = issued.key;
    ids[role] = issued.record.keyId;
  }
  return { keys, ids };
}

export async function buildApiFixture(
  options: {
    config?: Partial<ServerConfig>;
    acmeEvents?: number;
    /** The clock retention measures age against (retention tests move it forward). */
    retentionNow?: () => number;
  } = {},
): Promise<ApiFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), "trailproof-api-"));
  const data = await openDataDir({ dataDir, checkpointIntervalMs: 0 });
  // The ledger runs no publisher (interval 0): tests publish checkpoints when they need them.
  const config: ServerConfig = { ...DEFAULT_CONFIG, dataDir, checkpointIntervalMs: 0, ...options.config };
  const app = await buildApp({
    ...data,
    config,
    metrics: createMetrics(),
    logger: false,
    ...(options.retentionNow ? { retentionNow: options.retentionNow } : {}),
  });

  const tenants = {} as Record<"acme" | "globex", { keys: Keys; ids: Keys }>;
  for (const name of ["acme", "globex"] as const) {
    const made = await provisionTenant(data.ledger, data.access, name, { createdBy: "test" });
    tenants[name] = await keysFor(data, made.tenant.tenantId, { key: made.adminKey, keyId: made.adminKeyId });
  }
  const op = await issueApiKey(data.access, { tenantId: null, role: "operator", name: "op", createdBy: "test" });

  const statuses: number[] = [];
  const request: ApiFixture["request"] = async (method, url, key, body, headers = {}) => {
    const res = await app.inject({
      method,
      url,
      headers: {
        ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
        ...(body === undefined || typeof body === "string" ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      ...(body === undefined ? {} : { payload: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    statuses.push(res.statusCode);
    return res;
  };

  const appendAll = async (key: string, events: Record<string, unknown>[]) => {
    const res = await request("POST", "/v1/events", key, { events });
    const results = res.json().results as { id: string; status: string }[];
    if (res.statusCode !== 200 || results.some((r) => r.status !== "created")) {
      throw new Error(`fixture events were not all created: ${res.body}`);
    }
    return results.map((r) => r.id);
  };
  const acmeEvents = [
    ...sampleEvents(options.acmeEvents ?? 24, { seed: 7, idPrefix: "acme", startMs: EVENTS_START_MS }),
    ...automationChain("acme", EVENTS_START_MS + 3_600_000),
  ];
  const globexEvents = [
    ...sampleEvents(12, { seed: 11, idPrefix: "globex", startMs: EVENTS_START_MS }),
    ...automationChain("globex", EVENTS_START_MS + 3_600_000),
  ];
  const eventIds = {
    acme: await appendAll(tenants.acme.keys.ingest, acmeEvents),
    globex: await appendAll(tenants.globex.keys.ingest, globexEvents),
  };
  await data.ledger.publishCheckpoints();
  // The fixture's events are searchable before any test runs (stores with an asynchronous search projection).
  const settled = async () => {
    await (data as { settled?: () => Promise<void> }).settled?.();
  };
  await settled();

  return {
    app,
    data,
    dataDir,
    config,
    acme: tenants.acme.keys,
    globex: tenants.globex.keys,
    operator: op.key,
    keyIds: { acme: tenants.acme.ids, globex: tenants.globex.ids, operator: op.record.keyId },
    eventIds,
    sent: { acme: acmeEvents, globex: globexEvents },
    statuses,
    request,
    settled,
    appWith: (overrides) =>
      buildApp({ ...data, config: { ...config, ...overrides }, metrics: createMetrics(), logger: false }),
    async close() {
      await app.close();
      await data.ledger.close();
    },
  };
}

/** The problem+json body of a response, asserting its media type first. */
export function problemOf(res: LightMyRequestResponse): {
  code: string;
  status: number;
  detail: string;
  problems?: { pointer: string; message: string }[];
} {
  const type = String(res.headers["content-type"]);
  if (!type.startsWith("application/problem+json")) {
    throw new Error(`expected application/problem+json, got ${type} (${res.statusCode}): ${res.body.slice(0, 300)}`);
  }
  return res.json();
}

/** A valid event of a built-in action with the given id. */
export function validEvent(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    action: "app.update",
    occurred_at: "2026-11-05T12:00:00Z",
    actor: { type: "user", id: "usr_test" },
    target: { type: "app", id: "app_test" },
    ...extra,
  };
}
