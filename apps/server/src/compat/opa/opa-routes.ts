// OPA decision logs (docs/compat.md "OPA decision logs"): the decision log
// plugin uploads gzip JSON arrays of decisions to services.<svc>.url + "/" +
// resource, so with `url: http://<trailproof>/opa` and the default resource
// (`/logs`, or `/logs/<partition_name>`) it posts here. Any 2xx is success to
// OPA; anything else makes it re-queue the chunk and send it again, so each
// decision gets an id from its decision_id and a redelivery is a duplicate.
import { ProblemResponses } from "@trailproof/protocol";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { AppDeps } from "../../deps.js";
import { HttpProblem } from "../../http/problem.js";
import { appendAllOrRefuse, refusedItems } from "../append-all-or-refuse.js";
import { chooseTenant, tenantFromHeaders } from "../choose-tenant.js";
import { jsonBodyOf, postWithOptionalSegment, principalOf } from "../compat-request.js";
import { registerCompatScope } from "../compat-scope.js";
import { mapOpaDecision } from "./map-opa-decision.js";
import { type OpaDecision, parseOpaDecisions } from "./opa-decision.js";

const OpaLogsResponse = Type.Object(
  {
    created: Type.Integer({ description: "decisions recorded by this request" }),
    duplicate: Type.Integer({ description: "decisions recorded before (a redelivered chunk)" }),
  },
  { additionalProperties: false },
);

/**
 * The tenant the decisions name (labels.tenant, one for the whole upload:
 * labels are per OPA instance), else the request's header (set in
 * services.<svc>.headers of OPA's configuration); undefined when
 * neither names one (a tenant key's own tenant).
 */
function requestedTenant(decisions: readonly OpaDecision[], request: FastifyRequest): string | undefined {
  const named = new Set(decisions.map((d) => d.labels.tenant));
  if (named.size > 1) {
    throw new HttpProblem("REQUEST_INVALID", "the decisions of one upload name different labels.tenant values", {
      problems: decisions.map((d, i) => ({
        pointer: `/${i}/labels/tenant`,
        message: `names ${JSON.stringify(d.labels.tenant ?? null)}`,
      })),
    });
  }
  const label = [...named][0];
  if (label !== undefined) return label;
  return tenantFromHeaders(request.headers);
}

async function receiveDecisions(deps: AppDeps, request: FastifyRequest, reply: FastifyReply, partition?: string) {
  const decisions = parseOpaDecisions(jsonBodyOf(request, "the body is empty; send the gzip JSON array OPA uploads"));
  if (decisions.length > deps.config.maxBatchEvents) {
    throw new HttpProblem("BATCH_TOO_LARGE", `at most ${deps.config.maxBatchEvents} decisions per upload`, {
      problems: [
        { pointer: "", message: `has ${decisions.length} decisions; keep upload_size_limit_bytes at its default` },
      ],
    });
  }
  const tenant = await chooseTenant(deps, principalOf(request), requestedTenant(decisions, request));
  const events = decisions.map((d) => mapOpaDecision(d, partition === undefined ? {} : { partition }));
  const counts = await appendAllOrRefuse(
    deps,
    request,
    tenant,
    events,
    events.map((_, i) => `/${i}`),
    refusedItems("decision"),
  );
  return reply.code(200).send(counts);
}

const description = (where: string) =>
  `The upload of OPA's decision log plugin${where}: a JSON array of decisions (EventV1), gzip compressed as OPA sends it (identity also accepted). Each decision becomes one \`policy.evaluate\` event with id \`opa-<decision_id>\`, so a re-sent chunk is answered 200 as duplicates. The tenant is \`labels.tenant\`, else the \`X-Trailproof-Tenant\` (or \`X-Tenant\`) header, else the key's own. All or nothing: when any decision maps to an event the tenant refuses, 400 problem+json lists each problem and nothing is written (OPA logs it and retries). docs/compat.md has the mapping.`;

export async function registerOpaRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await registerCompatScope(app, deps, {}, (scope) => {
    postWithOptionalSegment(
      scope,
      "/opa/logs",
      "partition",
      {
        without: { summary: "OPA decision logs: record an upload of decisions", description: description("") },
        with: {
          summary: "OPA decision logs: record an upload of decisions made under a partition_name",
          description: description(" configured with `partition_name` (kept in `metadata.opa.partition`)"),
        },
      },
      { 200: OpaLogsResponse, ...ProblemResponses },
      (request, reply, partition) => receiveDecisions(deps, request, reply, partition),
    );
  });
}
