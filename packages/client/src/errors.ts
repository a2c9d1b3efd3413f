// Errors of the Trailproof SDK: subclasses of core's TrailproofError with
// SCREAMING_SNAKE codes (CLIENT_*, SPOOL_*, DELIVERY_*, RECEIPT_*), so callers
// branch on `code` and never on message text.
import { type ErrorCode, type Problem, TrailproofError } from "@trailproof/core";
import type { ProblemDetails } from "@trailproof/protocol";

/** A misuse or state error of the client itself (CLIENT_CLOSED, CLIENT_OPTIONS_INVALID, ...). */
export class ClientError extends TrailproofError {}

/** The durable spool cannot take or give back events (SPOOL_FULL, SPOOL_LOCKED, SPOOL_CORRUPT, SPOOL_IO). */
export class SpoolError extends TrailproofError {}

/** An event as it was sent (or would have been), handed back on a delivery failure. */
export interface UndeliveredEvent {
  id: string;
  /** The event's JSON text exactly as spooled and sent. */
  json: string;
}

/**
 * A delivery failure the platform must see. Events the service did not accept
 * for good: DELIVERY_REJECTED (the service refused them, `problems` says why),
 * DELIVERY_GAVE_UP (maxRetries exhausted), DELIVERY_ABANDONED (close() timed
 * out with events only in memory), DELIVERY_UNAUTHORISED (the key was refused with 401
 * or 403: a bad key never heals, so the client stops sending). `events`
 * carries them so the platform can keep them elsewhere: nothing is dropped
 * without being handed to onError. DELIVERY_CONNECTION_FAILED (the service cannot be
 * reached) settles nothing: `events` is empty, the events stay spooled and are
 * retried.
 */
export class DeliveryError extends TrailproofError {
  readonly events: readonly UndeliveredEvent[];
  /** The service's problem+json answer, when it gave one. */
  readonly problem: ProblemDetails | undefined;
  /** HTTP status of the answer, when there was one. */
  readonly status: number | undefined;
  /** The service's base URL, for DELIVERY_CONNECTION_FAILED and DELIVERY_UNAUTHORISED. */
  readonly url: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      events: readonly UndeliveredEvent[];
      problems?: readonly Problem[];
      problem?: ProblemDetails;
      status?: number;
      url?: string;
      cause?: unknown;
    },
  ) {
    super(code, message, { problems: options.problems ?? options.problem?.problems ?? [], cause: options.cause });
    this.events = options.events;
    this.problem = options.problem;
    this.status = options.status;
    this.url = options.url;
  }
}
