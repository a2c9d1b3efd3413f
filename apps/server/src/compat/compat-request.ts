// What every compat route reads from its request the same way: the
// authenticated principal, the body as strict JSON (compat scopes hand it
// over as bytes, compat-scope.ts), the actions the tenant registers, and the
// route options every append route shares (admission control, OpenAPI tags),
// and the pair of append routes a source posts to with or without a path segment.
import { TrailproofError } from "@trailproof/core";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { Principal } from "../auth/principal.js";
import type { AppDeps } from "../deps.js";
import { parseJsonBytes } from "../http/json-body.js";
import { HttpProblem } from "../http/problem.js";

/** The route config of every compat append route: the append permission and admission control. */
export const APPEND_ROUTE = { permission: "append", ingest: true } as const;
/** The OpenAPI schema members every compat route shares. */
export const COMPAT_SCHEMA = { tags: ["compat"], security: [{ bearer: [] }] };

/** The request's principal; authentication runs first, so a missing one is AUTH_MISSING, never reached. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new TrailproofError("AUTH_MISSING", "a compat route reached without a principal");
  return request.principal;
}

/**
 * The body (untrusted bytes) as strict JSON. An empty body is
 * REQUEST_MALFORMED_JSON: with the detail `whenEmpty` when given (what the
 * source's client should send), else the parser's own.
 */
export function jsonBodyOf(request: FastifyRequest, whenEmpty?: string): unknown {
  const body = request.body;
  if (!Buffer.isBuffer(body) && whenEmpty !== undefined) throw new HttpProblem("REQUEST_MALFORMED_JSON", whenEmpty);
  return parseJsonBytes(Buffer.isBuffer(body) ? body : Buffer.alloc(0));
}

/** The actions `tenant` has a schema for: only the others get a kind and category guessed by a mapping. */
export async function registeredActions(deps: AppDeps, tenant: string): Promise<Set<string>> {
  return new Set((await deps.ledger.actionSchemas(tenant)).map((d) => d.action));
}

/** One of a route pair's OpenAPI words. */
export interface RouteText {
  summary: string;
  description: string;
}

/**
 * POST `path` and POST `path/:<param>` (1-128 characters, handed to `handle`),
 * as append routes answering `response` (OPA's partition, the Kubernetes
 * webhook's tenant): the clients configure one URL, with or without it.
 */
export function postWithOptionalSegment(
  scope: FastifyInstance,
  path: string,
  param: string,
  text: { without: RouteText; with: RouteText },
  response: Record<number, unknown>,
  handle: (request: FastifyRequest, reply: FastifyReply, segment?: string) => Promise<FastifyReply>,
): void {
  scope.post(
    path,
    { config: APPEND_ROUTE, schema: { ...text.without, ...COMPAT_SCHEMA, response } },
    (request, reply) => handle(request, reply),
  );
  scope.post(
    `${path}/:${param}`,
    {
      config: APPEND_ROUTE,
      schema: {
        ...text.with,
        params: Type.Object({ [param]: Type.String({ minLength: 1, maxLength: 128 }) }),
        ...COMPAT_SCHEMA,
        response,
      },
    },
    (request, reply) => handle(request, reply, (request.params as Record<string, string>)[param]),
  );
}
