// The error a stream destination throws when a batch could not be handed
// over (STREAM_DESTINATION_FAILED). Its message is a short cause fit for the
// stream's health (`last error`): never a URL, a secret or a message body.
// retryAfterMs carries what the receiver asked for (an HTTP Retry-After on
// 429 or 503); the stream MUST NOT send again sooner than that.
import { TrailproofError } from "@trailproof/core";

export interface StreamDestinationErrorOptions {
  /** How long the receiver asked the sender to wait before the next attempt. */
  retryAfterMs?: number;
  cause?: unknown;
}

export class StreamDestinationError extends TrailproofError {
  /** The receiver's requested wait in milliseconds; undefined when it named none. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: StreamDestinationErrorOptions = {}) {
    super("STREAM_DESTINATION_FAILED", message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterMs = options.retryAfterMs;
  }
}
