// Built-in catalogue, data and automation areas: records, workflows,
// integrations and policies of a no-code platform (version 1 of each).
import type { ActionDefinition, ActionPrivacy } from "./action-definition.js";
import { BOOLEAN, COUNT, NULLABLE_STRING, openObject, STRING, STRINGS } from "./catalogue-schemas.js";

const recordPrivacy: ActionPrivacy = {
  state: {
    "/email": "personal",
    "/phone": "personal",
    "/name": "personal",
    "/address": "personal",
    "/date_of_birth": "personal",
    "/password": "secret",
  },
};
const recordMetadata = openObject({ table: STRING, record_id: STRING, changed_fields: STRINGS });
const recordState = { type: "object" };

function recordAction(verb: string, kind: ActionDefinition["kind"], risk: ActionDefinition["defaultRisk"]) {
  return {
    action: `record.${verb}`,
    version: 1,
    kind,
    category: "data",
    defaultRisk: risk,
    messageTemplate: `{actor.type} {actor.id} ${kind === "read" ? "read" : `${verb}d`} record {target.id}`,
    metadataSchema: recordMetadata,
    stateSchema: recordState,
    privacy: recordPrivacy,
  } satisfies ActionDefinition;
}

const workflowState = openObject({
  name: STRING,
  enabled: BOOLEAN,
  trigger: STRING,
  steps: { type: "array" },
});

export const dataActions: ActionDefinition[] = [
  recordAction("create", "create", "low"),
  recordAction("update", "update", "low"),
  recordAction("delete", "delete", "medium"),
  recordAction("read", "read", "low"),
  {
    action: "record.export",
    version: 1,
    kind: "export",
    category: "data",
    defaultRisk: "high",
    messageTemplate: "{actor.type} {actor.id} exported records of {target.type} {target.id}",
    metadataSchema: openObject({ format: STRING, record_count: COUNT, fields: STRINGS, destination: STRING }),
    privacy: { metadata: { "/destination_credentials": "secret", "/recipient_email": "personal" } },
  },
  {
    action: "workflow.update",
    version: 1,
    kind: "update",
    category: "workflow",
    defaultRisk: "medium",
    messageTemplate: "{actor.type} {actor.id} updated workflow {target.name}",
    metadataSchema: openObject({ workflow_version: STRING, published: BOOLEAN }),
    stateSchema: workflowState,
  },
  {
    action: "workflow.run.start",
    version: 1,
    kind: "execute",
    category: "workflow",
    defaultRisk: "low",
    messageTemplate: "workflow {target.name} started",
    metadataSchema: openObject({ trigger: STRING, attempt: COUNT }),
    privacy: { metadata: { "/input": "internal" } },
  },
  {
    action: "workflow.run.finish",
    version: 1,
    kind: "execute",
    category: "workflow",
    defaultRisk: "low",
    messageTemplate: "workflow {target.name} finished: {outcome}",
    metadataSchema: openObject({ duration_ms: COUNT, steps_executed: COUNT, error_code: NULLABLE_STRING }),
    privacy: { metadata: { "/output": "internal" } },
  },
  {
    action: "integration.connect",
    version: 1,
    kind: "config_change",
    category: "configuration",
    defaultRisk: "high",
    messageTemplate: "{actor.type} {actor.id} connected integration {target.name}",
    metadataSchema: openObject({ provider: STRING, auth_type: STRING, scopes: STRINGS }),
    privacy: {
      metadata: {
        "/api_key": "secret",
        "/client_secret": "secret",
        "/access_token": "secret",
        "/refresh_token": "secret",
        "/account_email": "personal",
      },
    },
  },
  {
    action: "policy.evaluate",
    version: 1,
    kind: "policy_evaluation",
    category: "governance",
    defaultRisk: "low",
    messageTemplate: "policy evaluated for {target.type} {target.id}: {outcome}",
    metadataSchema: openObject({
      policy_id: STRING,
      policy_version: STRING,
      decision: STRING,
      matched_rules: STRINGS,
    }),
    privacy: { metadata: { "/input": "internal" } },
  },
  {
    action: "policy.update",
    version: 1,
    kind: "config_change",
    category: "governance",
    defaultRisk: "high",
    messageTemplate: "{actor.type} {actor.id} updated policy {target.name}",
    metadataSchema: openObject({ policy_version: STRING }),
    stateSchema: openObject({ name: STRING, enforcement: STRING, rules: { type: "array" } }),
  },
];
