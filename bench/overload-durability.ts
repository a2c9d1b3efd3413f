// After the overload run: is every acknowledged event in its tenant's log,
// and nothing that was refused? Each tenant's log is read back whole through
// GET /v1/log/entries (the leaf data, exactly as committed) and every entry
// matched by event id to the request that carried it; then, with the service
// stopped, `trailproof verify --data` checks every leaf, root and signature.
import { Agent } from "node:http";
import type { VerifyOutcome } from "../test/reliability/verify-data-dir.js";
import type { AnswerKind } from "./answer-tally.js";
import { httpCall } from "./http-load.js";
import type { Phase } from "./overload-phase.js";
import type { ServerChild } from "./server-child.js";

export interface TenantDurability {
  tenant: string;
  /** Entries read, the service's own meta-audit records (some of this read's) among them. */
  treeSize: number;
  ackedEvents: number;
  /** The bench's events in the log. */
  loggedEvents: number;
  /** Acknowledged but not in the log: MUST be 0. */
  missing: number;
  /** In the log though refused: MUST be 0 (a refusal writes nothing). */
  writtenRefused: number;
  /** In the log though never acknowledged (timed out or failed): allowed, and reported. */
  writtenUnacknowledged: number;
}

export interface Durability {
  verify: VerifyOutcome;
  tenants: TenantDurability[];
  ok: boolean;
}

/** The route's own page limit. */
const PAGE = 1000;
const EVENT_ID = /^([a-z]+)(\d+)-\d+$/;
const READ_RECORD = "audit.log.read";

interface TagLoad {
  eventsPerRequest: number;
  kinds: (AnswerKind | undefined)[];
  /** Events in the log per request number. */
  logged: number[];
}

/** Reads each tenant's log through the running service; `adminKeys` by tenant name (the entries need "prove"). */
export async function readLoggedEvents(
  server: ServerChild,
  adminKeys: ReadonlyMap<string, string>,
  phases: readonly Phase[],
): Promise<TenantDurability[]> {
  const byTenant = new Map<string, Map<string, TagLoad>>();
  for (const p of phases) {
    for (const t of p.tenants) {
      const tags = byTenant.get(t.load.tenant) ?? new Map<string, TagLoad>();
      tags.set(t.load.tag, { eventsPerRequest: t.load.eventsPerRequest, kinds: t.kinds, logged: [] });
      byTenant.set(t.load.tenant, tags);
    }
  }
  const agent = new Agent({ keepAlive: true });
  const tenants: TenantDurability[] = [];
  try {
    for (const [tenant, tags] of byTenant) {
      const key = adminKeys.get(tenant);
      if (!key) throw new Error(`no admin key for tenant ${tenant}`);
      let start = 0;
      for (;;) {
        const url = `${server.url}/v1/log/entries?start=${start}&end=${start + PAGE}`;
        const res = await httpCall(agent, url, { method: "GET", key, timeoutMs: 60_000 });
        // 400 LOG_RANGE_INVALID: start has reached the tree size.
        if (res.status === 400 && res.body.includes("LOG_RANGE_INVALID")) break;
        if (res.status !== 200) throw new Error(`GET /v1/log/entries for ${tenant}: ${res.status} ${res.body}`);
        const entries = res.body
          .split("\n")
          .filter((line) => line.length > 0)
          .map((line) => JSON.parse(line) as { id?: unknown; action?: unknown });
        // Each page read is itself recorded at the log's end (the meta-audit): once a page holds
        // nothing else, everything written before the read-back has been read.
        if (entries.every((e) => e.action === READ_RECORD)) break;
        for (const entry of entries) {
          const m = EVENT_ID.exec(String(entry.id));
          const tag = m ? tags.get(m[1] as string) : undefined;
          if (!tag) continue;
          const n = Number(m?.[2]);
          tag.logged[n] = (tag.logged[n] ?? 0) + 1;
        }
        start += entries.length;
      }
      tenants.push({ tenant, treeSize: start, ...tally(tags) });
    }
  } finally {
    agent.destroy();
  }
  return tenants;
}

export function durabilityOf(tenants: TenantDurability[], verify: VerifyOutcome): Durability {
  return { verify, tenants, ok: verify.ok && tenants.every((t) => t.missing === 0 && t.writtenRefused === 0) };
}

function tally(tags: Map<string, TagLoad>): Omit<TenantDurability, "tenant" | "treeSize"> {
  const t = { ackedEvents: 0, loggedEvents: 0, missing: 0, writtenRefused: 0, writtenUnacknowledged: 0 };
  for (const { eventsPerRequest, kinds, logged } of tags.values()) {
    for (let n = 0; n < Math.max(kinds.length, logged.length); n++) {
      const inLog = logged[n] ?? 0;
      t.loggedEvents += inLog;
      if (kinds[n] === "accepted") {
        t.ackedEvents += eventsPerRequest;
        t.missing += eventsPerRequest - inLog;
      } else if (kinds[n] === "refused") t.writtenRefused += inLog;
      else t.writtenUnacknowledged += inLog;
    }
  }
  return t;
}
