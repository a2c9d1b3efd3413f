// An alert as the event that records it (catalogue-detect.ts alert.raise):
// its id is the alert's, so raising the same alert again (after a crash,
// on another node) is the log's idempotent duplicate; the message and
// metadata hold no personal data (groups are pseudonyms).
import type { AppendedBy } from "@trailproof/core";
import { ruleCountsAlerts } from "./engine/compiled-query.js";
import type { ActiveRule, RaisedAlert } from "./engine/engine-types.js";

/** appended_by and actor of what the alert follower records. */
export const ALERTS_APPENDER: AppendedBy = { type: "service", id: "alerts" };
export const ALERTS_ACTOR = { type: "system", id: "alerts" } as const;

export function alertRaiseEvent(alert: RaisedAlert, rule: ActiveRule): Record<string, unknown> {
  return {
    id: alert.id,
    action: "alert.raise",
    occurred_at: alert.occurred_at,
    actor: ALERTS_ACTOR,
    target: { type: "alert_rule", id: alert.rule_id, name: rule.definition.name },
    message: alert.message,
    metadata: {
      alert_id: alert.id,
      rule_id: alert.rule_id,
      rule_version: alert.rule_version,
      rule_type: alert.type,
      severity: alert.severity,
      matched_event_ids: alert.matched_event_ids,
      matched_count: alert.matched_event_ids.length,
      group: alert.group,
      window_start: alert.window_start,
      window_end: alert.window_end,
      channel_ids: rule.definition.channels ?? [],
      ...(ruleCountsAlerts(rule.definition) ? { counts_alerts: true } : {}),
    },
  };
}
