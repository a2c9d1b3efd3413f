// Fastify's per-request log lines, off the default output: at info they flooded
// the terminal of `npm start` and were the busiest work on the ingest path after
// the append itself. Requests are counted in /metrics (trailproof_http_requests_total);
// TRAILPROOF_ACCESS_LOG=1 (`serve --access-log`) writes one line per request at
// info, and TRAILPROOF_LOG_LEVEL=debug shows them too. Failed requests still log at error.
import { LogController } from "fastify";

export interface AccessLogOptions {
  /** One "request completed" line per request at info; otherwise at debug. */
  enabled: boolean;
}

export class AccessLog extends LogController {
  readonly #enabled: boolean;

  constructor(options: AccessLogOptions) {
    super();
    this.#enabled = options.enabled;
  }

  override incomingRequest(): void {
    // requestCompleted's line carries everything this one would.
  }

  override requestCompleted(...args: Parameters<LogController["requestCompleted"]>): void {
    const [error, , reply] = args;
    if (error) {
      super.requestCompleted(...args);
      return;
    }
    const line = { res: reply, responseTime: reply.elapsedTime };
    if (this.#enabled) reply.log.info(line, "request completed");
    else reply.log.debug(line, "request completed");
  }

  override streamError(...args: Parameters<LogController["streamError"]>): void {
    const [error, , reply] = args;
    // A client that hangs up mid-response is an access-log matter, not a warning.
    if ((error as NodeJS.ErrnoException).code !== "ERR_STREAM_PREMATURE_CLOSE" || this.#enabled) {
      super.streamError(...args);
      return;
    }
    reply.log.debug({ res: reply }, "stream closed prematurely");
  }
}
