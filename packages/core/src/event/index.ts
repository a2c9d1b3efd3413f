// The event envelope, schema_version 1: validation of what platforms send,
// the committed event the log hashes, privacy commitments and reader views.
export type { UnknownActionPolicy } from "./check-against-registry.js";
export { COMMITMENT_SALT_BYTES, commitValue, type Disclosure, verifyDisclosure } from "./disclosure.js";
export * from "./envelope-schema.js";
export { computePatch, stateHash } from "./event-change.js";
export { PERSONAL_ENVELOPE_POINTERS } from "./event-privacy.js";
export { normalizeTimestamp, parseTimestamp } from "./normalize-timestamp.js";
export { type PrepareContext, type PreparedEvent, prepareEvent } from "./prepare-event.js";
export { redactEvent, revealEvent } from "./reveal-event.js";
export { uuidv7 } from "./uuidv7.js";
export { checkEventInput, validateEventInput } from "./validate-event-input.js";
