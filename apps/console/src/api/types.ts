// Shapes of the API's answers as the console reads them (docs/api.md,
// docs/event-schema.md). The committed event is untrusted JSON: every field
// is optional here and the views check what they use.
import type { EventItem } from "@trailproof/protocol";

export type { EventItem };
export type Role = "viewer" | "auditor" | "admin";

export interface ActorRef {
  type?: string;
  id?: string;
  name?: string;
  on_behalf_of?: ActorRef;
}

/** Who appended an entry (log format v2): an API key's id, a person, the service or the CLI. */
export interface AppendedBy {
  type?: string;
  id?: string;
}

export interface AuditEvent {
  /** The log format version: 2 names `appended_by`, 1 does not. */
  schema_version?: number;
  appended_by?: AppendedBy;
  id?: string;
  action?: string;
  action_version?: number | null;
  kind?: string;
  category?: string;
  occurred_at?: string;
  received_at?: string;
  actor?: ActorRef;
  target?: { type?: string; id?: string; name?: string; path?: string[] };
  outcome?: { status?: string; reason?: string };
  message?: string;
  context?: Record<string, unknown>;
  automation?: Record<string, unknown>;
  change?: { before?: unknown; after?: unknown; patch?: PatchOperation[]; before_hash?: string; after_hash?: string };
  tags?: string[];
  risk?: string;
  metadata?: Record<string, unknown>;
  privacy?: { masked?: string[]; commitments?: Record<string, string> };
}

export interface PatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

export interface EventPage {
  events: EventItem[];
  next_cursor: string | null;
}

export interface EventDetail extends EventItem {
  proof?: {
    checkpoint: string;
    inclusion: { index: number; size: number; leaf_hash: string; proof: string[] };
  };
}

export interface Trace {
  event: EventItem;
  ancestors: EventItem[];
  unresolved_cause: string | null;
  run: EventItem[];
  descendants: EventItem[];
  truncated: boolean;
}

export interface TargetHistory {
  target: { type: string; id: string };
  events: EventItem[];
  next_cursor: string | null;
  state_at?: {
    at: string;
    state: unknown;
    as_of: { index: number; event_id: string; occurred_at: string } | null;
    applied_events: number;
    gaps: unknown[];
  };
}

export interface StatsBucket {
  start: string;
  count: number;
  groups?: Record<string, number>;
  other?: number;
}

export interface Stats {
  total: number;
  bucket: string;
  group_by: string | null;
  groups?: string[];
  buckets: StatsBucket[];
}

export interface VerifierKeys {
  origin: string;
  verifier_key: string;
  keys: { verifier_key: string; created_at: string; retired_at: string | null }[];
}

export interface CheckpointSummary {
  tree_size: number;
  root_hash: string;
  signed_at: string;
}

// The automations summary is part of the wire contract.
export type { Automations, RunSummary, WorkflowSummary } from "@trailproof/protocol";

export interface SessionUser {
  username: string;
  display_name: string;
  role: Role;
  tenant: string;
}

export interface Person {
  username: string;
  display_name: string;
  role: Role;
  enrolled: boolean;
  disabled: boolean;
  created_at: string;
}

export interface ApiKey {
  key_id: string;
  role: string;
  name: string;
  created_at: string;
  created_by: string | null;
  revoked_at: string | null;
}

export interface TenantSettings {
  tenant: string;
  origin: string;
  unknown_actions: "reject" | "accept";
}

/** An action schema version as registered (core's ActionDefinition). */
export interface ActionSchema {
  action: string;
  version: number;
  kind?: string;
  category?: string;
  defaultRisk?: string;
  messageTemplate?: string;
  metadataSchema?: unknown;
  stateSchema?: unknown;
  privacy?: { metadata?: Record<string, string>; state?: Record<string, string> };
}

export type LoginNext =
  | { next: "totp"; login_token: string }
  | { next: "enroll"; login_token: string; otpauth_uri: string; secret: string };

export interface SignedIn {
  user: SessionUser;
  csrf_token: string;
  recovery_codes?: string[];
}

export interface ViewerToken {
  token: string;
  expires_at: string;
  embed_path: string;
}
