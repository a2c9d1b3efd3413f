// Built-in catalogue, SIEM streams (docs/streams.md): a tenant's streams
// are created, paused, resumed, deleted and have their destination's secret
// rotated by the service, and each change is recorded in the tenant's log.
// A destination's secret never enters the log, nor a webhook URL's path and
// query: events name where the stream goes by host and port, or URL origin.
import type { ActionDefinition } from "./action-definition.js";
import { openObject, STRING } from "./catalogue-schemas.js";

const streamState = openObject({
  name: STRING,
  destination: STRING,
  destination_type: STRING,
  format: STRING,
  filter: STRING,
  personal: STRING,
  status: STRING,
});

function streamChange(
  verb: "create" | "pause" | "resume" | "delete" | "rotate_secret",
  kind: ActionDefinition["kind"],
  message: string,
): ActionDefinition {
  return {
    action: `stream.${verb}`,
    version: 1,
    kind,
    category: "governance",
    defaultRisk: verb === "create" || verb === "resume" ? "low" : "medium",
    messageTemplate: `{actor.type} {actor.id} ${message} stream {target.name}`,
    metadataSchema: openObject({ destination_type: STRING, destination: STRING, format: STRING }),
    stateSchema: streamState,
  };
}

export const streamActions: ActionDefinition[] = [
  streamChange("create", "create", "created"),
  streamChange("pause", "config_change", "paused"),
  streamChange("resume", "config_change", "resumed"),
  streamChange("delete", "delete", "deleted"),
  streamChange("rotate_secret", "config_change", "rotated the destination secret of"),
];
