// The one error base class of Trailproof. Every package throws subclasses of
// TrailproofError with a SCREAMING_SNAKE `code` (area prefix first); the HTTP
// layer maps codes to statuses in one table. Codes are the closed ErrorCode
// union (error-codes.ts), so an unknown code does not compile.
import type { ErrorCode } from "./error-codes.js";

export type { ErrorCode, SdkErrorCode, ServiceErrorCode } from "./error-codes.js";

/** One validation problem: where (RFC 6901 JSON pointer into the input) and what. */
export interface Problem {
  pointer: string;
  message: string;
}

export class TrailproofError extends Error {
  readonly code: ErrorCode;
  /** Every problem found, for validation errors; empty otherwise. */
  readonly problems: readonly Problem[];

  constructor(code: ErrorCode, message: string, options?: { problems?: readonly Problem[]; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.problems = options?.problems ?? [];
  }
}

/** A proof, root, signature or log that does not verify. Verification fails closed. */
export class VerificationError extends TrailproofError {}

/** Untrusted input that cannot be parsed or validated. */
export class InvalidInputError extends TrailproofError {}

/** True when `err` is a TrailproofError carrying `code`. */
export function hasErrorCode(err: unknown, code: ErrorCode): err is TrailproofError {
  return err instanceof TrailproofError && err.code === code;
}
