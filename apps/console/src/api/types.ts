// Shapes of the API's answers as the console reads them. The wire types are
// protocol's own (the server validates against the same schemas); only the
// committed event is described here (docs/event-schema.md): it is untrusted
// JSON, so every field is optional and the views check what they use.
import type { PersonRole } from "@trailproof/protocol";

export type {
  ApiKey,
  Automations,
  CheckpointSummary,
  EventDetail,
  EventItem,
  EventPage,
  IssuedViewerToken,
  LoginNext,
  Person,
  RunSummary,
  SessionUser,
  SignedIn,
  Stats,
  StatsBucket,
  TargetHistory,
  TenantSettings,
  Trace,
  VerifierKeys,
  ViewerToken,
  WorkflowSummary,
} from "@trailproof/protocol";

/** A person's role: the read ladder viewer < auditor < admin. */
export type Role = PersonRole;

export interface ActorRef {
  type?: string;
  id?: string;
  /** A personal value: a string, or the erased marker {"$erased": {...}} once its subject was erased. */
  name?: unknown;
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
