// Built-in catalogue, detection: alert rules' changes and the alerts they
// raise, each recorded in the tenant's log by the service (docs/alerts.md).
// A rule's event carries the whole definition, so the log alone says which
// version of a rule raised which alert.
import type { ActionDefinition } from "./action-definition.js";
import { BOOLEAN, COUNT, NULLABLE_STRING, openObject, STRING, STRINGS } from "./catalogue-schemas.js";

const ruleState = openObject({
  name: STRING,
  severity: STRING,
  enabled: { type: "boolean" },
  condition: { type: "object" },
});

function ruleChange(verb: "create" | "update" | "delete", kind: ActionDefinition["kind"]): ActionDefinition {
  return {
    action: `rule.${verb}`,
    version: 1,
    kind,
    category: "governance",
    defaultRisk: verb === "create" ? "low" : "medium",
    messageTemplate: `{actor.type} {actor.id} ${verb}d alert rule {target.name}`,
    metadataSchema: openObject({ rule_version: COUNT }),
    stateSchema: ruleState,
  };
}

export const detectActions: ActionDefinition[] = [
  ruleChange("create", "create"),
  ruleChange("update", "config_change"),
  ruleChange("delete", "delete"),
  {
    action: "alert.raise",
    version: 1,
    kind: "create",
    category: "governance",
    defaultRisk: "high",
    messageTemplate: "alert rule {target.name} raised an alert",
    metadataSchema: {
      type: "object",
      required: ["alert_id", "rule_id", "rule_version", "rule_type", "severity", "matched_event_ids"],
      properties: {
        alert_id: STRING,
        rule_id: STRING,
        rule_version: COUNT,
        rule_type: STRING,
        severity: STRING,
        matched_event_ids: { type: "array", items: STRING, maxItems: 100 },
        matched_count: COUNT,
        group: NULLABLE_STRING,
        window_start: NULLABLE_STRING,
        window_end: NULLABLE_STRING,
        channel_ids: STRINGS,
        // True when the rule's query names alert.raise: no rule counts this alert (docs/alerts.md).
        counts_alerts: BOOLEAN,
      },
    },
  },
  {
    action: "alert.acknowledge",
    version: 1,
    kind: "update",
    category: "governance",
    defaultRisk: "low",
    messageTemplate: "{actor.type} {actor.id} acknowledged alert {target.id}",
    metadataSchema: openObject({ rule_id: STRING }),
  },
  {
    action: "alert.resolve",
    version: 1,
    kind: "update",
    category: "governance",
    defaultRisk: "low",
    messageTemplate: "{actor.type} {actor.id} resolved alert {target.id}",
    metadataSchema: openObject({ rule_id: STRING, note: STRING }),
    // A note is free text: it may name someone, so it stays erasable.
    privacy: { metadata: { "/note": "personal" } },
  },
];
