// Rule versions as the log records them: each rule.create/update/delete
// event carries the whole definition, so a version is derived from its entry
// alone, alike wherever it is derived (the route that appended it, or the
// alert follower that met it first), and the rules in force at any index of
// the log are the versions made at or before it.
import { fromUtf8, type JsonObject } from "@trailproof/core";
import type { RuleVersionRecord, StoredEntry } from "@trailproof/ledger";
import type { RuleDefinition, WireRule } from "@trailproof/protocol";
import type { ActiveRule } from "./engine/engine-types.js";

export const RULE_ACTIONS = ["rule.create", "rule.update", "rule.delete"] as const;

export function isRuleAction(action: unknown): boolean {
  return typeof action === "string" && (RULE_ACTIONS as readonly string[]).includes(action);
}

/** The rule version `entry` made, or undefined when it is no rule.* event. */
export function ruleVersionOfEntry(tenantId: number, entry: StoredEntry): RuleVersionRecord | undefined {
  if (entry.leafData.length === 0) return undefined;
  const event = JSON.parse(fromUtf8(entry.leafData)) as JsonObject;
  return ruleVersionOfEvent(tenantId, entry.index, entry.receivedMs, event);
}

export function ruleVersionOfEvent(
  tenantId: number,
  index: number,
  receivedMs: number,
  event: JsonObject,
): RuleVersionRecord | undefined {
  if (!isRuleAction(event.action)) return undefined;
  const target = event.target as JsonObject;
  const actor = event.actor as JsonObject;
  const metadata = event.metadata as JsonObject;
  const change = (event.change ?? {}) as JsonObject;
  const deleted = event.action === "rule.delete";
  const definition = (deleted ? change.before : change.after) as JsonObject | undefined;
  if (definition === undefined || typeof metadata?.rule_version !== "number") return undefined;
  return {
    ruleId: String(target.id),
    tenantId,
    version: metadata.rule_version,
    definition,
    deleted,
    by: `${String(actor.type)}:${String(actor.id)}`,
    // The entry's received_at: the same wherever the version is derived.
    at: new Date(receivedMs).toISOString(),
    logIndex: index,
  };
}

/** The rules in force after entry `index`: each rule's latest version made at or before it, unless deleted or disabled. */
export function activeRulesAt(versions: readonly RuleVersionRecord[], index: number): ActiveRule[] {
  const latest = new Map<string, RuleVersionRecord>();
  for (const v of versions) {
    if (v.logIndex > index) continue;
    const seen = latest.get(v.ruleId);
    if (seen === undefined || seen.version < v.version) latest.set(v.ruleId, v);
  }
  return [...latest.values()]
    .filter((v) => !v.deleted && (v.definition as unknown as RuleDefinition).enabled !== false)
    .map((v) => ({
      id: v.ruleId,
      version: v.version,
      definition: v.definition as unknown as RuleDefinition,
      fromIndex: v.logIndex,
      fromMs: Date.parse(v.at),
    }));
}

/** One rule on the wire: its latest version, with who made the first and the latest. */
export function toWireRule(versions: readonly RuleVersionRecord[]): WireRule {
  const first = versions[0] as RuleVersionRecord;
  const last = versions[versions.length - 1] as RuleVersionRecord;
  return {
    id: last.ruleId,
    version: last.version,
    definition: last.definition as unknown as RuleDefinition,
    deleted: last.deleted,
    created_by: first.by,
    created_at: first.at,
    updated_by: last.by,
    updated_at: last.at,
    log_index: last.logIndex,
  };
}
