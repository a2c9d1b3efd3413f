// Typed builders for the built-in no-code catalogue (docs/event-schema.md,
// "Built-in catalogue"): each returns an envelope with the catalogue's action
// name, typed metadata and states, and the before/after pair as `change`.
// Open objects: fields beyond the catalogue's are allowed, as the schemas do.
import type { JsonObject, JsonValue, RiskLevel } from "@trailproof/core";
import type { Actor, Automation, EventContext, EventDraft, Outcome, Target } from "./event-draft.js";

type Open<T> = T & { [key: string]: JsonValue | undefined };

export interface EventFields<M = JsonObject> {
  id?: string;
  /** Default: now, when recorded. */
  occurredAt?: Date | string;
  /** Default: the ambient person or the automation run's service account. */
  actor?: Actor;
  target: Target;
  outcome?: Outcome;
  message?: string;
  context?: EventContext;
  automation?: Partial<Automation>;
  tags?: string[];
  risk?: RiskLevel;
  metadata?: Open<M>;
}

export interface ChangeFields<S> {
  before?: Open<S>;
  after?: Open<S>;
}

export interface AppState {
  name?: string;
  description?: string | null;
  slug?: string;
  published?: boolean;
}
export interface PageState {
  title?: string;
  route?: string;
  layout?: string;
  components?: JsonValue[];
}
export interface WiringState {
  bindings?: JsonValue[];
}
export interface SettingsState {
  locale?: string;
  timezone?: string;
  smtp_host?: string;
  smtp_password?: string;
}
export interface RoleState {
  name?: string;
  description?: string | null;
  permissions?: string[];
  member_count?: number;
}
export interface WorkflowState {
  name?: string;
  enabled?: boolean;
  trigger?: string;
  steps?: JsonValue[];
}
export interface PolicyState {
  name?: string;
  enforcement?: string;
  rules?: JsonValue[];
}
export type RecordState = JsonObject;

export interface GrantMetadata {
  permission?: string;
  scope?: string;
  grantee_type?: string;
  grantee_id?: string;
  expires_at?: string | null;
  grantee_email?: string;
  grantee_name?: string;
}
export interface RecordMetadata {
  table?: string;
  record_id?: string;
  changed_fields?: string[];
}

function build(action: string, fields: EventFields<object>, change?: ChangeFields<object>): EventDraft {
  const e: Record<string, unknown> = { action, target: fields.target };
  if (fields.id !== undefined) e.id = fields.id;
  if (fields.occurredAt !== undefined) {
    e.occurred_at = fields.occurredAt instanceof Date ? fields.occurredAt.toISOString() : fields.occurredAt;
  }
  for (const key of ["actor", "outcome", "message", "context", "automation", "tags", "risk", "metadata"] as const) {
    if (fields[key] !== undefined) e[key] = fields[key];
  }
  if (change !== undefined && (change.before !== undefined || change.after !== undefined)) {
    const c: Record<string, unknown> = {};
    if (change.before !== undefined) c.before = change.before;
    if (change.after !== undefined) c.after = change.after;
    e.change = c;
  }
  return e as EventDraft;
}

const plain =
  <M>(action: string) =>
  (fields: EventFields<M>): EventDraft =>
    build(action, fields as EventFields<object>);
const changing =
  <M, S>(action: string) =>
  (fields: EventFields<M> & ChangeFields<S>): EventDraft =>
    build(action, fields as EventFields<object>, fields);

/** One builder per action of the built-in catalogue, but those only the service records (audit.*, apikey.*, ...). */
export const events = {
  appCreated: changing<{ template_id?: string; workspace_id?: string }, AppState>("app.create"),
  appUpdated: changing<{ changed_fields?: string[] }, AppState>("app.update"),
  appDeleted: changing<{ soft_delete?: boolean; page_count?: number }, AppState>("app.delete"),
  pageUpdated: changing<{ page_id?: string | null; editor_mode?: string }, PageState>("app.page.update"),
  componentWired: changing<
    { source_component?: string; event?: string; binding?: string; data_source?: string },
    WiringState
  >("component.wire"),
  templateDeployed: plain<{ template_version?: string; environment?: string; release_notes?: string }>(
    "template.deploy",
  ),
  packageInstalled: plain<{
    package_name?: string;
    package_version?: string;
    source?: string;
    permissions_requested?: string[];
    publisher?: string;
    /** Secret: dropped before the event leaves the process. */
    registry_token?: string;
  }>("package.install"),
  packageUninstalled: plain<{ package_name?: string; package_version?: string; data_removed?: boolean }>(
    "package.uninstall",
  ),
  settingsUpdated: changing<{ section?: string; changed_fields?: string[] }, SettingsState>("settings.update"),
  permissionGranted: plain<GrantMetadata>("permission.grant"),
  permissionRevoked: plain<GrantMetadata>("permission.revoke"),
  roleUpdated: changing<{ added_permissions?: string[]; removed_permissions?: string[] }, RoleState>("role.update"),
  userLoggedIn: plain<{
    method?: string;
    mfa?: boolean;
    sso_provider?: string;
    failed_attempts?: number;
    session_expires_at?: string;
    email?: string;
    username?: string;
  }>("user.login"),
  userLoggedOut: plain<{ reason?: string; session_duration_ms?: number }>("user.logout"),
  recordCreated: changing<RecordMetadata, RecordState>("record.create"),
  recordUpdated: changing<RecordMetadata, RecordState>("record.update"),
  recordDeleted: changing<RecordMetadata, RecordState>("record.delete"),
  recordRead: plain<RecordMetadata>("record.read"),
  recordsExported: plain<{
    format?: string;
    record_count?: number;
    fields?: string[];
    destination?: string;
    recipient_email?: string;
  }>("record.export"),
  workflowUpdated: changing<{ workflow_version?: string; published?: boolean }, WorkflowState>("workflow.update"),
  workflowRunStarted: plain<{ trigger?: string; attempt?: number }>("workflow.run.start"),
  workflowRunFinished: plain<{ duration_ms?: number; steps_executed?: number; error_code?: string | null }>(
    "workflow.run.finish",
  ),
  integrationConnected: plain<{ provider?: string; auth_type?: string; scopes?: string[]; account_email?: string }>(
    "integration.connect",
  ),
  policyEvaluated: plain<{ policy_id?: string; policy_version?: string; decision?: string; matched_rules?: string[] }>(
    "policy.evaluate",
  ),
  policyUpdated: changing<{ policy_version?: string }, PolicyState>("policy.update"),
} as const;
