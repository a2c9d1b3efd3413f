// The event envelope, schema_version 1: validation of what platforms send,
// the committed event the log hashes (log format v2), privacy commitments,
// the idempotency digest and reader views.
export { APPENDER_TYPES, type AppendedBy, type AppenderType, LIBRARY_APPENDER } from "./appended-by.js";
export { LOG_FORMAT_VERSION } from "./build-committed-event.js";
export type { UnknownActionPolicy } from "./check-against-registry.js";
export {
  buildContentDigest,
  CONTENT_DIGEST_PREFIX,
  type ContentDigestUnavailable,
  DIGEST_KEY_BYTES,
  isKeyedContentDigest,
  recomputeContentDigest,
} from "./content-digest.js";
export { COMMITMENT_SALT_BYTES, commitValue, type Disclosure, verifyDisclosure } from "./disclosure.js";
export * from "./envelope-schema.js";
export { computePatch, stateHash } from "./event-change.js";
export { PERSONAL_ENVELOPE_POINTERS } from "./event-privacy.js";
export { normalizeTimestamp, parseTimestamp } from "./normalize-timestamp.js";
export {
  checkOccurredAtBounds,
  DEFAULT_OCCURRED_AT_BOUNDS,
  type OccurredAtBounds,
  occurredAtProblems,
} from "./occurred-at-bounds.js";
export { legacyContentDigest, type PrepareContext, type PreparedEvent, prepareEvent } from "./prepare-event.js";
export { redactEvent, revealEvent, revealEventChecked, type WithheldValue } from "./reveal-event.js";
export { uuidv7 } from "./uuidv7.js";
export { checkEventInput, validateEventInput } from "./validate-event-input.js";
