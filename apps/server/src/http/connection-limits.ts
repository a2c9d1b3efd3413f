// How long a connection may take, enforced by Node on the socket before any
// route runs, so that a client sending a byte every few seconds cannot hold a
// connection (and its memory) past the documented limits: the request line
// and headers within headersTimeoutMs, the whole request within
// requestTimeoutMs, an idle keep-alive connection closed after
// keepAliveTimeoutMs. A limit that passes is answered 408 by client-error.ts.
import type { ServerOptions } from "node:http";
import type { ServerConfig } from "../config.js";

/** Node's default limit on the request line and headers together. */
export const MAX_HEADER_BYTES = 16 * 1024;

export interface ConnectionLimits {
  http: ServerOptions;
  requestTimeout: number;
  keepAliveTimeout: number;
  connectionTimeout: number;
}

/** Fastify's options for `config`'s limits (which loadConfig has checked: all positive, headers within request). */
export function connectionLimits(
  config: Pick<ServerConfig, "headersTimeoutMs" | "requestTimeoutMs" | "keepAliveTimeoutMs">,
): ConnectionLimits {
  // Node checks the header and request limits on an interval (30 s by
  // default), so a limit can be overrun by up to one interval: checking four
  // times per limit keeps the overrun within a quarter of it, at most a second.
  const checkEveryMs = Math.max(
    25,
    Math.min(1000, Math.floor(Math.min(config.headersTimeoutMs, config.requestTimeoutMs) / 4)),
  );
  return {
    http: {
      headersTimeout: config.headersTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      keepAliveTimeout: config.keepAliveTimeoutMs,
      connectionsCheckingInterval: checkEveryMs,
      maxHeaderSize: MAX_HEADER_BYTES,
      // A request without Host is refused by our hook as problem+json, not by Node with an empty 400.
      requireHostHeader: false,
    },
    // Fastify sets these on the server after creating it; the same values.
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    // A socket silent in both directions this long is destroyed: a client that
    // stops reading its response cannot hold the connection either.
    connectionTimeout: config.requestTimeoutMs,
  };
}
