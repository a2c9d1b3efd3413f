// Fastify's per-request log lines, moved from info to debug: at info they were
// two lines per request, the busiest work on the ingest path after the append
// itself. Requests are counted in /metrics instead (trailproof_http_requests_total);
// TRAILPROOF_LOG_LEVEL=debug brings the access log back. Errors still log at error.
import { LogController } from "fastify";

export class DebugAccessLog extends LogController {
  override incomingRequest(): void {
    // requestCompleted's line carries everything this one would.
  }

  override requestCompleted(...args: Parameters<LogController["requestCompleted"]>): void {
    const [error, , reply] = args;
    if (error) {
      super.requestCompleted(...args);
      return;
    }
    reply.log.debug({ res: reply, responseTime: reply.elapsedTime }, "request completed");
  }
}
