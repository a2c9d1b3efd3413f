// Built-in catalogue, Trailproof's own actions: every read, export, proof,
// key, schema and setting change made through the service is recorded in the
// tenant's log under these (the meta-audit), with the caller as actor.
import type { ActionDefinition } from "./action-definition.js";
import { BOOLEAN, COUNT, NULLABLE_STRING, openObject, STRING, TIMESTAMP } from "./catalogue-schemas.js";

const readMetadata = openObject({ route: STRING, query: { type: "object" }, result_count: COUNT });

function auditRead(action: string, what: string, kind: ActionDefinition["kind"] = "read"): ActionDefinition {
  return {
    action,
    version: 1,
    kind,
    category: "system",
    defaultRisk: kind === "export" ? "high" : "low",
    messageTemplate: `{actor.type} {actor.id} ${what}`,
    metadataSchema: readMetadata,
    // A search can name a person (actor:"Ada", an IP): keep it erasable.
    privacy: { metadata: { "/query": "personal" } },
  };
}

export const metaAuditActions: ActionDefinition[] = [
  auditRead("audit.search", "searched the audit log"),
  auditRead("audit.event.read", "read audit event {target.id}"),
  auditRead("audit.trace.read", "read the trace of audit event {target.id}"),
  auditRead("audit.history.read", "read the history of {target.type} {target.id}"),
  auditRead("audit.stats.read", "read audit statistics"),
  auditRead("audit.governance.read", "read the governance view"),
  auditRead("audit.log.read", "read the log's checkpoint, keys or entries"),
  auditRead("audit.proof.read", "fetched a proof"),
  auditRead("audit.verify", "verified the log"),
  auditRead("audit.export", "exported the audit log", "export"),
  {
    action: "apikey.create",
    version: 1,
    kind: "permission_change",
    category: "access",
    defaultRisk: "high",
    messageTemplate: "{actor.type} {actor.id} created API key {target.id}",
    metadataSchema: openObject({ role: STRING, name: STRING }),
  },
  {
    action: "apikey.revoke",
    version: 1,
    kind: "permission_change",
    category: "access",
    defaultRisk: "high",
    messageTemplate: "{actor.type} {actor.id} revoked API key {target.id}",
    metadataSchema: openObject({ role: STRING, name: STRING }),
  },
  {
    action: "schema.register",
    version: 1,
    kind: "config_change",
    category: "governance",
    defaultRisk: "medium",
    messageTemplate: "{actor.type} {actor.id} registered a schema version of {target.id}",
    metadataSchema: openObject({ version: COUNT }),
  },
  {
    action: "person.create",
    version: 1,
    kind: "permission_change",
    category: "access",
    defaultRisk: "high",
    messageTemplate: "{actor.type} {actor.id} added person {target.id} to the console",
    metadataSchema: openObject({ role: STRING }),
  },
  {
    action: "person.disable",
    version: 1,
    kind: "permission_change",
    category: "access",
    defaultRisk: "high",
    messageTemplate: "{actor.type} {actor.id} disabled person {target.id}",
  },
  {
    action: "viewer_token.create",
    version: 1,
    kind: "permission_change",
    category: "access",
    defaultRisk: "medium",
    messageTemplate: "{actor.type} {actor.id} issued an embedded viewer token",
    metadataSchema: openObject({ viewer_id: STRING, expires_at: STRING, filter: { type: "object" } }),
    privacy: { metadata: { "/viewer_id": "personal", "/filter": "personal" } },
  },
  {
    action: "tenant.create",
    version: 1,
    kind: "create",
    category: "system",
    defaultRisk: "medium",
    messageTemplate: "{actor.type} {actor.id} created tenant {target.id}",
  },
  {
    action: "tenant.settings.update",
    version: 1,
    kind: "config_change",
    category: "system",
    defaultRisk: "high",
    messageTemplate: "{actor.type} {actor.id} changed the settings of tenant {target.id}",
  },
  // Dual control: a request, its approval or rejection by a different
  // person, and the tenant's single-admin setting. A request's parameters
  // can name a person (an erasure's subject): kept erasable.
  {
    action: "approval.request",
    version: 1,
    kind: "create",
    category: "access",
    defaultRisk: "high",
    messageTemplate: "{actor.type} {actor.id} asked for approval {target.id}",
    metadataSchema: openObject({ action: STRING, expires_at: TIMESTAMP, single_admin: BOOLEAN }),
    privacy: { metadata: { "/request": "personal" } },
  },
  {
    action: "approval.approve",
    version: 1,
    kind: "update",
    category: "access",
    defaultRisk: "high",
    messageTemplate: "{actor.type} {actor.id} approved {target.id}",
    metadataSchema: openObject({ action: STRING, requested_by: STRING }),
  },
  {
    action: "approval.reject",
    version: 1,
    kind: "update",
    category: "access",
    defaultRisk: "medium",
    messageTemplate: "{actor.type} {actor.id} rejected {target.id}",
    metadataSchema: openObject({ action: STRING, requested_by: STRING }),
  },
  {
    // Issue 12: one per erasure, its event id the erasure id. The subject is
    // named by its keyed pseudonym only: the log never learns whom it erased.
    action: "erasure.complete",
    version: 1,
    kind: "delete",
    category: "governance",
    defaultRisk: "high",
    messageTemplate: "{actor.type} {actor.id} completed erasure {target.id}",
    metadataSchema: openObject({
      erasure_id: STRING,
      requested_by: STRING,
      approved_by: STRING,
      subject: STRING,
      values_erased: COUNT,
      entries_touched: COUNT,
    }),
  },
  {
    action: "tenant.dual_control.update",
    version: 1,
    kind: "config_change",
    category: "system",
    defaultRisk: "critical",
    messageTemplate: "{actor.type} {actor.id} changed dual control of tenant {target.id}",
  },
  {
    action: "integrity.check",
    version: 1,
    kind: "execute",
    category: "system",
    defaultRisk: "low",
    messageTemplate: "the scheduled self-check of {target.id} ran",
    metadataSchema: openObject({ checkpoint_size: COUNT, new_entries: COUNT, sampled: COUNT }),
  },
  {
    action: "signing_key.rotate",
    version: 1,
    kind: "config_change",
    category: "configuration",
    defaultRisk: "high",
    messageTemplate: "{actor.type} {actor.id} rotated the signing key of {target.id}",
    metadataSchema: openObject({ approval_id: STRING, verifier_key: STRING }),
  },
  {
    // The target is the pseudonym; the id it stands for is never recorded.
    action: "pseudonym.resolve",
    version: 1,
    kind: "read",
    category: "access",
    defaultRisk: "medium",
    messageTemplate: "{actor.type} {actor.id} resolved pseudonym {target.id}",
    metadataSchema: openObject({ resolved: BOOLEAN, reason: STRING }),
    // The auditor's stated reason may name the person: keep it erasable.
    privacy: { metadata: { "/reason": "personal" } },
  },
  // Retention (docs/retention.md): the policy under dual control, legal
  // holds, and each prune run, whose ranges verification matches against
  // the store's pruned_ranges. Never pruned themselves.
  {
    action: "retention.update",
    version: 1,
    kind: "config_change",
    category: "governance",
    defaultRisk: "critical",
    messageTemplate: "{actor.type} {actor.id} changed the retention rules of {target.id}",
    metadataSchema: openObject({ approval_id: STRING }),
  },
  {
    action: "retention.prune",
    version: 1,
    kind: "delete",
    category: "governance",
    defaultRisk: "high",
    messageTemplate: "retention pruned entry bodies of {target.id}",
    metadataSchema: {
      type: "object",
      required: ["ranges", "entries"],
      properties: {
        ranges: { type: "array", items: { type: "array", items: COUNT, minItems: 2, maxItems: 2 } },
        entries: COUNT,
        by_category: { type: "object", additionalProperties: COUNT },
        kept_by_hold: COUNT,
      },
    },
  },
  {
    action: "legal_hold.place",
    version: 1,
    kind: "create",
    category: "governance",
    defaultRisk: "high",
    messageTemplate: "{actor.type} {actor.id} placed legal hold {target.id}",
    metadataSchema: openObject({ reason: STRING, scope: { type: "object" }, expires_at: NULLABLE_STRING }),
    privacy: { metadata: { "/scope": "personal" } },
  },
  {
    action: "legal_hold.lift",
    version: 1,
    kind: "delete",
    category: "governance",
    defaultRisk: "high",
    messageTemplate: "{actor.type} {actor.id} lifted legal hold {target.id}",
    metadataSchema: openObject({ approval_id: STRING, reason: STRING }),
  },
];
