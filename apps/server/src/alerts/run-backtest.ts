// A back-test over HTTP's period: the tenant's entries whose occurred_at is
// in [from, to), in log order, through a fresh engine with the one rule
// (engine/backtest.ts), as if the rule had existed from `from` on. A spike
// rule's baseline is the history before `from`, as live evaluation seeds it
// from the history before the rule.
import type { EventFilter } from "@trailproof/protocol";
import { type BacktestResponse, parseSearchQuery, type SpikeCondition } from "@trailproof/protocol";
import type { AppDeps } from "../deps.js";
import { pseudonymizer } from "../privacy/pseudonyms.js";
import { baselineSpanMs } from "./alert-follower.js";
import { backtest } from "./engine/backtest.js";
import { engineEventOf } from "./engine/engine-event.js";
import type { ActiveRule } from "./engine/engine-types.js";
import { readHistory } from "./history.js";

export async function runBacktest(
  deps: Pick<AppDeps, "ledger" | "query">,
  tenant: string,
  tenantId: number,
  rule: Omit<ActiveRule, "fromIndex" | "fromMs">,
  period: { fromMs: number; toMs: number },
): Promise<BacktestResponse> {
  const c = rule.definition.condition;
  // A sequence's steps (and what must not follow) each have their own query: read every entry.
  const filter: EventFilter = c.type === "sequence" ? {} : parseSearchQuery(c.query);
  const read = await readHistory(deps.query, tenantId, filter, period);
  const pseudonym = await pseudonymizer(deps.ledger, tenant);
  const byIp = c.type !== "sequence" && (c.group_by ?? []).includes("ip");
  const ipOf = async (index: number) => {
    if (!byIp) return null;
    const ip = (await deps.ledger.openDisclosures(tenant, index)).find((d) => d.pointer === "/context/ip");
    return ip?.state === "value" && typeof ip.value === "string" ? ip.value : null;
  };
  const events = [];
  for (const entry of read.entries) events.push(engineEventOf(entry, pseudonym, await ipOf(entry.index)));
  const history = [];
  if (c.type === "spike") {
    const before = await readHistory(deps.query, tenantId, filter, {
      fromMs: period.fromMs - baselineSpanMs(c as SpikeCondition),
      toMs: period.fromMs,
    });
    for (const entry of before.entries) history.push(engineEventOf(entry, pseudonym, await ipOf(entry.index)));
  }
  // The clock moves to the end of the period, or to the last entry read when truncated.
  const last = read.entries[read.entries.length - 1];
  const untilMs = read.truncated && last !== undefined ? last.receivedMs : period.toMs;
  const alerts = await backtest(rule, events, { fromMs: period.fromMs, untilMs, history });
  return { alerts, entries_scanned: read.entries.length, truncated: read.truncated };
}
