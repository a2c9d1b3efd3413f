// @trailproof/client: the isomorphic SDK. Needs only fetch and
// crypto.getRandomValues, so it runs in Node, browsers and edge runtimes.
// Node-only parts (FileSpool, AsyncLocalStorage context, middleware) are in
// @trailproof/client/node.
export { type AmbientSource, type AmbientState, ambientSource, setAmbientSource } from "./ambient-context.js";
export { type AutomationOptions, AutomationRun } from "./automation-run.js";
export { type BackoffOptions, backoffDelayMs, DEFAULT_BACKOFF, parseRetryAfterMs } from "./backoff.js";
export type { TrailproofClientOptions } from "./client-options.js";
export { dropSecrets } from "./drop-secrets.js";
export { ClientError, DeliveryError, SpoolError, type UndeliveredEvent } from "./errors.js";
export * from "./event-builders.js";
export type {
  Actor,
  Automation,
  Change,
  EventContext,
  EventDraft,
  Outcome,
  Receipt,
  Target,
} from "./event-draft.js";
export { MemorySpool, type MemorySpoolOptions } from "./memory-spool.js";
export {
  type PolicyEvaluatedFields,
  type PolicyRef,
  type PolicyUpdatedFields,
  policyEvaluated,
  policyUpdated,
} from "./policy-events.js";
export type { Spool, SpooledEvent, WhenFull } from "./spool.js";
export { parseTraceparent, type TraceIds } from "./traceparent.js";
export {
  type ChangeInput,
  type ClientStats,
  type DecisionInput,
  type FlushOptions,
  type PendingReceipt,
  TrailproofClient,
} from "./trailproof-client.js";
export { type VerifiedReceipt, type VerifyReceiptOptions, verifyReceipt } from "./verify-receipt.js";
