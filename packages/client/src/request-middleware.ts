// Request context for Express and Fastify without depending on either: a
// plain (req, res, next) middleware and an onRequest hook. Both run the rest
// of the request inside withRequestContext(), so events recorded while
// handling it carry its ip, user agent, session, request and trace ids.
import type { IncomingMessage } from "node:http";
import { withRequestContext } from "./async-context.js";
import { type RequestContextOptions, requestContext } from "./request-context.js";

function scopeOf(req: IncomingMessage, options: RequestContextOptions) {
  const context = requestContext(req, options);
  const actor = options.actor?.(req);
  return actor === undefined ? { context } : { context, actor };
}

/** Express (or Connect) middleware: `app.use(expressContext({ trustedProxies: ["10.0.0.1"] }))`. */
export function expressContext(
  options: RequestContextOptions = {},
): (req: IncomingMessage, res: unknown, next: (err?: unknown) => void) => void {
  return (req, _res, next) => withRequestContext(scopeOf(req, options), () => next());
}

/** Fastify onRequest hook: `app.addHook("onRequest", fastifyContext({ ... }))`. Fastify's request id is the default request id. */
export function fastifyContext(
  options: RequestContextOptions = {},
): (request: { raw: IncomingMessage; id: string }, reply: unknown, done: (err?: Error) => void) => void {
  return (request, _reply, done) => {
    const scope = scopeOf(request.raw, { requestId: () => request.id, ...options });
    withRequestContext(scope, () => done());
  };
}
