// Who appended an entry (log format v2): the credential whose request the
// service sealed the event for, stamped by the server and never read from the
// event as sent, so an event cannot claim another key's authority.
import { TrailproofError } from "../errors.js";

/**
 * `api_key`: the key (its id, never the secret) that sent the event to
 * POST /v1/events; `person`: a person signed in to the console (their
 * username); `service`: the service recording something itself (the
 * meta-audit, sign-ins, tenant provisioning, demo data); `cli`: the
 * `trailproof` command line working on a data directory directly.
 */
export const APPENDER_TYPES = ["api_key", "person", "service", "cli"] as const;
export type AppenderType = (typeof APPENDER_TYPES)[number];

export interface AppendedBy {
  type: AppenderType;
  /** Key id, username, or the name of the service part or CLI command. */
  id: string;
}

/** Ids are chosen by the service from key ids, usernames and fixed names: short and plain. */
const APPENDER_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** The appender of an append that names none: a program embedding the ledger library directly. */
export const LIBRARY_APPENDER: AppendedBy = { type: "service", id: "library" };

/**
 * Throws EVENT_CONTEXT_INVALID unless `value` is an AppendedBy with exactly
 * `type` and `id`. The value comes from the caller of the ledger, not from the
 * event: a bad one is a bug, not a rejection.
 */
export function checkAppendedBy(value: AppendedBy): void {
  const keys = Object.keys(value ?? {});
  const ok =
    typeof value === "object" &&
    value !== null &&
    keys.length === 2 &&
    (APPENDER_TYPES as readonly string[]).includes(value.type) &&
    typeof value.id === "string" &&
    APPENDER_ID.test(value.id);
  if (!ok) {
    throw new TrailproofError(
      "EVENT_CONTEXT_INVALID",
      `appendedBy must be {type, id} with type one of ${APPENDER_TYPES.join(", ")} and an id matching ${APPENDER_ID.source}`,
    );
  }
}
