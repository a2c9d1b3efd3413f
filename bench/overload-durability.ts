// After the overload run, with the service stopped: is every acknowledged
// event in its tenant's log on disk, and nothing that was refused? The log is
// read straight from the data directory (not through the service that
// acknowledged it) and matched by event id to the request that carried it;
// then `trailproof verify --data` checks every leaf, root and signature.
import { openSqliteStores } from "@trailproof/ledger";
import { type VerifyOutcome, verifyDataDir } from "../test/reliability/verify-data-dir.js";
import type { AnswerKind } from "./answer-tally.js";
import type { Phase } from "./overload-phase.js";

export interface TenantDurability {
  tenant: string;
  /** Every entry, the service's own meta-audit records included. */
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

const PAGE = 5000;
const EVENT_ID = /^([a-z]+)(\d+)-\d+$/;

interface TagLoad {
  eventsPerRequest: number;
  kinds: (AnswerKind | undefined)[];
  /** Events in the log per request number. */
  logged: number[];
}

export async function checkDurability(dataDir: string, phases: readonly Phase[]): Promise<Durability> {
  const verify = await verifyDataDir(dataDir);
  const byTenant = new Map<string, Map<string, TagLoad>>();
  for (const p of phases) {
    for (const t of p.tenants) {
      const tags = byTenant.get(t.load.tenant) ?? new Map<string, TagLoad>();
      tags.set(t.load.tag, { eventsPerRequest: t.load.eventsPerRequest, kinds: t.kinds, logged: [] });
      byTenant.set(t.load.tenant, tags);
    }
  }
  const { log } = openSqliteStores(dataDir);
  const tenants: TenantDurability[] = [];
  try {
    for (const [tenant, tags] of byTenant) {
      const record = await log.getTenant(tenant);
      const treeSize = record ? await log.treeSize(record.tenantId) : 0;
      for (let start = 0; record && start < treeSize; start += PAGE) {
        for (const entry of await log.readEntries(record.tenantId, start, Math.min(treeSize, start + PAGE))) {
          const m = EVENT_ID.exec(entry.eventId);
          const tag = m ? tags.get(m[1] as string) : undefined;
          if (!tag) continue;
          const n = Number(m?.[2]);
          tag.logged[n] = (tag.logged[n] ?? 0) + 1;
        }
      }
      tenants.push({ tenant, treeSize, ...tally(tags) });
    }
  } finally {
    await log.close();
  }
  const ok = verify.ok && tenants.every((t) => t.missing === 0 && t.writtenRefused === 0);
  return { verify, tenants, ok };
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
