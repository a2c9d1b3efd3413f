// Built-in catalogue, notifications (docs/notifications.md): changes to a
// tenant's webhook channels and redriven dead letters, recorded in the
// tenant's log by the service. A channel's secret never enters the log, nor
// its URL's path and query (a Slack webhook URL is itself a credential):
// events name the URL's origin only.
import type { ActionDefinition } from "./action-definition.js";
import { BOOLEAN, openObject, STRING } from "./catalogue-schemas.js";

const channelState = openObject({ name: STRING, format: STRING, url_origin: STRING, enabled: BOOLEAN });

function channelChange(
  verb: "create" | "update" | "delete" | "rotate_secret",
  kind: ActionDefinition["kind"],
  message: string,
): ActionDefinition {
  return {
    action: `channel.${verb}`,
    version: 1,
    kind,
    category: "governance",
    defaultRisk: verb === "create" ? "low" : "medium",
    messageTemplate: `{actor.type} {actor.id} ${message} notification channel {target.name}`,
    metadataSchema: openObject({ format: STRING, url_origin: STRING }),
    stateSchema: channelState,
  };
}

export const notifyActions: ActionDefinition[] = [
  channelChange("create", "create", "created"),
  channelChange("update", "config_change", "changed"),
  channelChange("delete", "delete", "deleted"),
  channelChange("rotate_secret", "config_change", "rotated the signing secret of"),
  {
    action: "delivery.redrive",
    version: 1,
    kind: "update",
    category: "governance",
    defaultRisk: "low",
    messageTemplate: "{actor.type} {actor.id} redrove notification delivery {target.id}",
    metadataSchema: openObject({ channel_id: STRING, kind: STRING }),
  },
];
