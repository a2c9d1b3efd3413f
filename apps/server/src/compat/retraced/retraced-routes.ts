// Retraced publisher API (`@retracedhq/retraced` 0.7.x), for clients whose
// endpoint is the server root or `<root>/auditlog`: POST .../event and
// .../event/bulk answer 201 with Retraced's own hash of each event (the
// client recomputes it and throws on a mismatch), GET .../viewertoken issues
// one of our viewer tokens for a group. The project in the path is the tenant
// (compat/choose-tenant.ts). Errors stay problem+json: the client reads only
// the status. Retraced has no retries and no idempotency key, so every
// request appends new events (docs/compat.md).
import { randomBytes } from "node:crypto";
import { TrailproofError } from "@trailproof/core";
import { ProblemResponses } from "@trailproof/protocol";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { MetaAudit } from "../../audit/meta-audit.js";
import type { AppDeps } from "../../deps.js";
import { HttpProblem } from "../../http/problem.js";
import { appendAllOrRefuse } from "../append-all-or-refuse.js";
import { chooseTenant } from "../choose-tenant.js";
import { APPEND_ROUTE, COMPAT_SCHEMA, jsonBodyOf, principalOf, registeredActions } from "../compat-request.js";
import { registerCompatScope } from "../compat-scope.js";
import { isObject } from "../mapping/json-guards.js";
import { toActionName } from "../mapping/source-names.js";
import { retracedEventProblems, toEnvelope } from "./retraced-event.js";
import { retracedHash } from "./retraced-hash.js";
import { issueRetracedViewerToken, ViewerTokenQuerySchema } from "./retraced-viewer-token.js";

/** The prefixes the client's endpoint may end in: the root, and Retraced's self-hosted default `/auditlog`. */
const PREFIXES = ["", "/auditlog"] as const;

/**
 * The key in a Retraced Authorization header (untrusted): Retraced's own
 * parser is `/token=(.+)/`, which takes both `token=KEY` (events) and
 * `Token token=KEY` (viewer tokens); `Bearer KEY` is taken too.
 */
export function retracedCredential(authorization: string): string | undefined {
  const bearer = /^Bearer (.+)$/i.exec(authorization);
  return bearer ? bearer[1] : /token=(.+)/.exec(authorization)?.[1];
}

const ProjectParams = Type.Object({ projectId: Type.String({ minLength: 1, maxLength: 256 }) });
const Receipt = Type.Object({ id: Type.String(), hash: Type.String() });
const common = { ...COMPAT_SCHEMA, params: ProjectParams };

export async function registerRetracedRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const audit = new MetaAudit(deps.ledger, deps.shared);
  await registerCompatScope(app, deps, {}, (scope) => {
    const append = { ...APPEND_ROUTE, credentialFrom: retracedCredential } as const;
    for (const prefix of PREFIXES) {
      const base = `${prefix}/publisher/v1/project/:projectId`;
      scope.post(
        `${base}/event`,
        {
          config: append,
          schema: {
            ...common,
            summary: "Retraced: report one event (answers Retraced's id and hash)",
            description:
              "Body: a Retraced event. 201 `{id, hash}`, the hash computed exactly as @retracedhq/retraced verifies it. Authorization `token=KEY`, `Token token=KEY` or `Bearer KEY` with an ingest key; the project is the tenant.",
            response: { 201: Receipt, ...ProblemResponses },
          },
        },
        async (request, reply) => {
          const event = jsonBodyOf(request);
          const [receipt] = await appendRetraced(deps, request, [event], "");
          return reply.code(201).send(receipt);
        },
      );
      scope.post(
        `${base}/event/bulk`,
        {
          config: append,
          schema: {
            ...common,
            summary: "Retraced: report events in bulk (answers an array of ids and hashes, in order)",
            description: `Body: \`{"events": [...]}\`, at most TRAILPROOF_MAX_BATCH_EVENTS events (400 beyond). All or nothing: one refused event refuses the request and writes none.`,
            response: { 201: Type.Array(Receipt), ...ProblemResponses },
          },
        },
        async (request, reply) => {
          const body = jsonBodyOf(request);
          if (!isObject(body) || !Array.isArray(body.events)) {
            throw new HttpProblem("REQUEST_INVALID", 'send {"events": [...]}', {
              problems: [{ pointer: "/events", message: "must be an array of Retraced events" }],
            });
          }
          if (body.events.length > deps.config.maxBatchEvents) {
            throw new HttpProblem("REQUEST_INVALID", `at most ${deps.config.maxBatchEvents} events per request`, {
              problems: [{ pointer: "/events", message: `has ${body.events.length} events` }],
            });
          }
          return reply.code(201).send(await appendRetraced(deps, request, body.events, "/events"));
        },
      );
      scope.get(
        `${base}/viewertoken`,
        {
          config: { permission: "administer", credentialFrom: retracedCredential },
          schema: {
            ...common,
            summary: "Retraced: a viewer token for one group's events (admin key)",
            description:
              "Issues one of Trailproof's viewer tokens (read-only, role viewer, 15 minutes) pinned to the group's events; `is_admin` and `view_log_action` are ignored. Needs an admin key: an ingest key never gets a way to read.",
            querystring: ViewerTokenQuerySchema,
            response: { 201: Type.Object({ token: Type.String() }), ...ProblemResponses },
          },
        },
        async (request, reply) => {
          const { projectId } = request.params as { projectId: string };
          const tenant = await chooseTenant(deps, principalOf(request), projectId);
          const token = await issueRetracedViewerToken(deps, audit, request, tenant);
          return reply.code(201).send({ token });
        },
      );
    }
  });
}

/**
 * Maps and appends `events` (parsed, untrusted) all or nothing, and answers
 * `{id, hash}` for each in order. Throws REQUEST_INVALID for a bad shape and
 * EVENT_INVALID for an event the tenant refuses, every problem at `at/<i>`.
 */
async function appendRetraced(
  deps: AppDeps,
  request: FastifyRequest,
  events: readonly unknown[],
  at: string,
): Promise<{ id: string; hash: string }[]> {
  const principal = principalOf(request);
  const pointer = (i: number) => (at === "" ? "" : `${at}/${i}`);
  const shape = events.flatMap((e, i) => retracedEventProblems(e, pointer(i)));
  if (shape.length > 0)
    throw new HttpProblem("REQUEST_INVALID", "the Retraced event is incomplete", { problems: shape });
  const { projectId } = request.params as { projectId: string };
  const tenant = await chooseTenant(deps, principal, projectId);
  const registered = await registeredActions(deps, tenant);
  const receivedAt = new Date().toISOString();
  const mapped = events.map((e) => {
    const event = e as Record<string, unknown>;
    const id = randomBytes(16).toString("hex");
    const known = registered.has(toActionName(event.action as string, "retraced"));
    return { id, event, envelope: toEnvelope(event, { id, projectId, registered: known, receivedAt }) };
  });
  await appendAllOrRefuse(
    deps,
    request,
    tenant,
    mapped.map((m) => m.envelope),
    mapped.map((_, i) => pointer(i)),
    (problems) => new TrailproofError("EVENT_INVALID", "the event was refused; nothing was written", { problems }),
  );
  return mapped.map((m) => ({ id: m.id, hash: retracedHash(m.event, m.id) }));
}
