// Request and response bodies of the HTTP API. The server validates with
// these and generates its OpenAPI 3.1 document from them; the SDK and the
// console read the same types.
import { type Static, Type } from "typebox";

const Hash = Type.String({ description: "standard base64 of 32 bytes" });

export const IngestResultSchema = Type.Object({
  id: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.Literal("created"), Type.Literal("duplicate"), Type.Literal("rejected")]),
  index: Type.Optional(Type.Integer({ description: "position in the tenant's log" })),
  leaf_hash: Type.Optional(Hash),
  received_at: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Object({ pointer: Type.String(), message: Type.String() }))),
});
export type IngestResult = Static<typeof IngestResultSchema>;

export const IngestResponseSchema = Type.Object({ results: Type.Array(IngestResultSchema) });

/** An event as read back: committed form, personal fields revealed only for roles allowed to see them. */
/** Personal values a reader does not get because the stored value fails its commitment; and why. */
const ReadIntegrityFields = {
  withheld: Type.Optional(
    Type.Array(
      Type.Object({
        pointer: Type.String({ description: "where the personal value belongs in the event" }),
        reason: Type.Literal("commitment_mismatch"),
      }),
      {
        description:
          "personal values left out because the stored value does not open the commitment in the sealed event (tampered or damaged storage; run trailproof verify)",
      },
    ),
  ),
  warnings: Type.Optional(Type.Array(Type.String(), { description: "what a reader should know about this event" })),
  erased: Type.Optional(
    Type.Array(
      Type.Object({
        pointer: Type.String({
          description: "where the erased personal value belonged; the event shows the erased marker there",
        }),
        erasure_id: Type.String(),
        erased_at: Type.String(),
      }),
      {
        description:
          'personal values crypto-shredded by an erasure (POST /v1/erasures): each pointer holds {"$erased": {"erasure_id", "erased_at"}}; the leaf and its proofs are unchanged',
      },
    ),
  ),
};

export const EventItemSchema = Type.Object({
  index: Type.Integer(),
  redacted: Type.Boolean({ description: "true when personal fields are withheld (viewer role)" }),
  event: Type.Record(Type.String(), Type.Unknown()),
  ...ReadIntegrityFields,
});
export type EventItem = Static<typeof EventItemSchema>;

export const EventPageSchema = Type.Object({
  events: Type.Array(EventItemSchema),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});
export type EventPage = Static<typeof EventPageSchema>;

export const InclusionProofSchema = Type.Object({
  index: Type.Integer(),
  size: Type.Integer(),
  leaf_hash: Hash,
  proof: Type.Array(Hash),
});

export const ConsistencyProofSchema = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  proof: Type.Array(Hash),
});

export const EventDetailSchema = Type.Object({
  index: Type.Integer(),
  redacted: Type.Boolean(),
  event: Type.Record(Type.String(), Type.Unknown()),
  ...ReadIntegrityFields,
  proof: Type.Optional(
    Type.Object({
      checkpoint: Type.String({ description: "the signed checkpoint note the proof is against" }),
      inclusion: InclusionProofSchema,
    }),
  ),
});
export type EventDetail = Static<typeof EventDetailSchema>;

export const TraceSchema = Type.Object({
  event: EventItemSchema,
  ancestors: Type.Array(EventItemSchema, { description: "what set it in motion, the root cause first" }),
  unresolved_cause: Type.Union([Type.String(), Type.Null()], {
    description: "caused_by of the top-most ancestor when it names no event of this tenant",
  }),
  run: Type.Array(EventItemSchema, { description: "every event of its automation run" }),
  descendants: Type.Array(EventItemSchema, { description: "what it set in motion, breadth first" }),
  truncated: Type.Boolean(),
});
export type Trace = Static<typeof TraceSchema>;

export const VerifierKeysSchema = Type.Object({
  origin: Type.String(),
  verifier_key: Type.String({ description: "the active key, C2SP signed-note format" }),
  keys: Type.Array(
    Type.Object({
      verifier_key: Type.String(),
      created_at: Type.String(),
      retired_at: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});
export type VerifierKeys = Static<typeof VerifierKeysSchema>;

export const ApiKeySchema = Type.Object({
  key_id: Type.String(),
  role: Type.String(),
  name: Type.String(),
  created_at: Type.String(),
  created_by: Type.Union([Type.String(), Type.Null()]),
  revoked_at: Type.Union([Type.String(), Type.Null()]),
});
export type ApiKey = Static<typeof ApiKeySchema>;

export const CreatedApiKeySchema = Type.Intersect([
  ApiKeySchema,
  Type.Object({ key: Type.String({ description: "shown once; only its hash is stored" }) }),
]);

export const TenantSettingsSchema = Type.Object({
  tenant: Type.String(),
  origin: Type.String(),
  unknown_actions: Type.Union([Type.Literal("reject"), Type.Literal("accept")]),
});
export type TenantSettings = Static<typeof TenantSettingsSchema>;

export const RunSummarySchema = Type.Object({
  run_id: Type.String(),
  workflow_id: Type.String(),
  origin: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.Literal("succeeded"), Type.Literal("failed"), Type.Literal("running")]),
  started_at: Type.String(),
  finished_at: Type.Union([Type.String(), Type.Null()]),
  duration_ms: Type.Union([Type.Integer(), Type.Null()]),
  start_event_id: Type.String(),
});
export type RunSummary = Static<typeof RunSummarySchema>;

export const WorkflowSummarySchema = Type.Object({
  workflow_id: Type.String(),
  runs: Type.Integer(),
  succeeded: Type.Integer(),
  failed: Type.Integer(),
  last_run_at: Type.String(),
  median_duration_ms: Type.Union([Type.Integer(), Type.Null()]),
  expected_interval_ms: Type.Union([Type.Integer(), Type.Null()], {
    description: "median gap between scheduled starts; null without a schedule (fewer than 3 scheduled runs)",
  }),
  missed_runs: Type.Integer({ description: "scheduled runs that should have started but did not, up to now" }),
});
export type WorkflowSummary = Static<typeof WorkflowSummarySchema>;

export const AutomationsSchema = Type.Object({
  workflows: Type.Array(WorkflowSummarySchema),
  runs: Type.Array(RunSummarySchema, { description: "newest first" }),
  truncated: Type.Boolean({ description: "true when more run events existed than were summarised" }),
});
export type Automations = Static<typeof AutomationsSchema>;

export const VerifyJobReportSchema = Type.Object({
  ok: Type.Boolean({ description: "true when nothing diverged and at least one checkpoint was checked" }),
  tree_size: Type.Integer(),
  checkpoints: Type.Integer(),
  divergences: Type.Array(
    Type.Object({
      kind: Type.String(),
      index: Type.Union([Type.Integer(), Type.Null()]),
      message: Type.String(),
    }),
  ),
  pruned: Type.Optional(
    Type.Object(
      {
        entries: Type.Integer(),
        ranges: Type.Array(Type.Object({ start: Type.Integer(), end: Type.Integer(), prune_index: Type.Integer() })),
      },
      { description: "bodies retention removed by a recorded prune: not divergences; their leaf hashes were checked" },
    ),
  ),
});
export type VerifyJobReport = Static<typeof VerifyJobReportSchema>;

/** A whole-log verification running in the service: started by POST /v1/log/verify, polled at its `location`. */
export const VerifyJobSchema = Type.Object({
  job_id: Type.String(),
  location: Type.String({ description: "where to poll it: /v1/log/verify/{job_id}" }),
  status: Type.Union([Type.Literal("running"), Type.Literal("done"), Type.Literal("failed")], {
    description: "done: `report` holds the result (which may itself say ok: false); failed: the check could not finish",
  }),
  verified: Type.Integer({ description: "entries checked so far" }),
  total: Type.Integer({ description: "entries to check: the tree size when the check read it" }),
  started_at: Type.String(),
  finished_at: Type.Union([Type.String(), Type.Null()]),
  report: Type.Union([VerifyJobReportSchema, Type.Null()]),
});
export type VerifyJob = Static<typeof VerifyJobSchema>;
