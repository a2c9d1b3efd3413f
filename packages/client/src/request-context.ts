// What a request tells about where an event comes from (docs/event-schema.md,
// `context`): client IP (X-Forwarded-For trusted only from configured proxy
// addresses: anyone else can write that header), user agent, session id,
// request id and W3C trace ids. Every value here is caller-controlled, so
// anything the envelope would refuse is left out rather than failing events.
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";
import type { Actor, EventContext } from "./event-draft.js";
import { parseTraceparent } from "./traceparent.js";

export interface RequestContextOptions {
  /** Addresses of reverse proxies whose X-Forwarded-For is believed (exact addresses, v4 or v6). */
  trustedProxies?: readonly string[];
  /** The session id of a request (default: none). */
  sessionId?: (req: IncomingMessage) => string | undefined;
  /** The person (or caller) of a request, actor of events recorded without one. */
  actor?: (req: IncomingMessage) => Actor | undefined;
  /** The request id: default the X-Request-Id header when well-formed, else a random UUID. */
  requestId?: (req: IncomingMessage) => string | undefined;
}

const MAX_FIELD = 1024;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** "::ffff:10.0.0.1" and "10.0.0.1" are one peer. */
function normalizeIp(ip: string): string {
  const trimmed = ip.trim();
  return trimmed.startsWith("::ffff:") && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed;
}

/** The client address: the peer, or, through trusted proxies only, the nearest untrusted X-Forwarded-For hop. */
export function clientIp(req: IncomingMessage, trustedProxies: readonly string[] = []): string | undefined {
  const peer = req.socket?.remoteAddress;
  if (peer === undefined) return undefined;
  const trusted = new Set(trustedProxies.map(normalizeIp));
  let ip = normalizeIp(peer);
  const header = req.headers["x-forwarded-for"];
  const forwarded = (Array.isArray(header) ? header.join(",") : (header ?? "")).split(",").map(normalizeIp);
  // Walk from the nearest hop outwards while each hop was added by a proxy we trust.
  while (trusted.has(ip) && forwarded.length > 0) {
    const next = forwarded.pop() as string;
    if (isIP(next) === 0) break;
    ip = next;
  }
  return isIP(ip) === 0 ? undefined : ip;
}

function single(value: string | string[] | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The context fields of `req`, each present only when valid for the envelope. */
export function requestContext(req: IncomingMessage, options: RequestContextOptions = {}): EventContext {
  const context: EventContext = {};
  const ip = clientIp(req, options.trustedProxies);
  if (ip !== undefined) context.ip = ip;
  const agent = single(req.headers["user-agent"]);
  if (agent) context.user_agent = agent.slice(0, MAX_FIELD);
  const session = options.sessionId?.(req);
  if (session && session.length <= MAX_FIELD) context.session_id = session;
  const given = options.requestId ? options.requestId(req) : single(req.headers["x-request-id"]);
  context.request_id = given !== undefined && REQUEST_ID.test(given) ? given : randomUUID();
  const trace = parseTraceparent(req.headers.traceparent);
  if (trace) Object.assign(context, trace);
  return context;
}
