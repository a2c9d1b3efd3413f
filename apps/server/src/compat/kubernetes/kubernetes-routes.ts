// The Kubernetes audit webhook (docs/compat.md "Kubernetes audit webhook"):
// kube-apiserver's webhook backend POSTs an audit.k8s.io/v1 EventList to the
// server URL of its --audit-webhook-config-file kubeconfig. Any 2xx is
// success to it; every error is retried with backoff and the batch is then
// dropped, so each (auditID, stage) gets one event id and a redelivered batch
// is answered as duplicates. Only the stages TRAILPROOF_K8S_AUDIT_STAGES
// names are recorded; the others are acknowledged and skipped.
import { ProblemResponses } from "@trailproof/protocol";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { AppDeps } from "../../deps.js";
import { HttpProblem } from "../../http/problem.js";
import { appendAllOrRefuse, refusedItems } from "../append-all-or-refuse.js";
import { chooseTenant, tenantFromHeaders } from "../choose-tenant.js";
import { jsonBodyOf, postWithOptionalSegment, principalOf } from "../compat-request.js";
import { registerCompatScope } from "../compat-scope.js";
import { parseAuditEvents } from "./audit-event.js";
import { mapAuditEvent } from "./map-audit-event.js";

/** kube-apiserver's default --audit-webhook-batch-max-size: the most events one request may carry. */
export const MAX_AUDIT_BATCH_EVENTS = 400;

const AuditResponse = Type.Object(
  {
    created: Type.Integer({ description: "events recorded by this request" }),
    duplicate: Type.Integer({ description: "events recorded before (a redelivered batch)" }),
    skipped: Type.Integer({ description: "events of stages TRAILPROOF_K8S_AUDIT_STAGES does not record" }),
  },
  { additionalProperties: false },
);

async function receiveAuditEvents(deps: AppDeps, request: FastifyRequest, reply: FastifyReply, named?: string) {
  const { events, itemsPointer } = parseAuditEvents(
    jsonBodyOf(request, "the body is empty; send an audit.k8s.io/v1 EventList"),
  );
  if (events.length > MAX_AUDIT_BATCH_EVENTS) {
    throw new HttpProblem("BATCH_TOO_LARGE", `at most ${MAX_AUDIT_BATCH_EVENTS} audit events per request`, {
      problems: [
        {
          pointer: itemsPointer,
          message: `has ${events.length} events; keep --audit-webhook-batch-max-size at ${MAX_AUDIT_BATCH_EVENTS} or less`,
        },
      ],
    });
  }
  const tenant = await chooseTenant(deps, principalOf(request), named ?? tenantFromHeaders(request.headers));
  const stages: readonly string[] = deps.config.k8sAuditStages;
  const kept = events.map((e, i) => ({ e, at: `${itemsPointer}/${i}` })).filter(({ e }) => stages.includes(e.stage));
  const counts = await appendAllOrRefuse(
    deps,
    request,
    tenant,
    kept.map(({ e }) => mapAuditEvent(e)),
    kept.map(({ at }) => (itemsPointer === "" ? "" : at)),
    refusedItems("audit event"),
  );
  return reply.code(200).send({ ...counts, skipped: events.length - kept.length });
}

const description = (where: string) =>
  `What kube-apiserver's audit webhook backend sends${where}: an audit.k8s.io/v1 (or v1beta1) EventList of at most ${MAX_AUDIT_BATCH_EVENTS} events, or one Event. Events of the stages TRAILPROOF_K8S_AUDIT_STAGES names (default ResponseComplete) are recorded with id \`k8s-<auditID>.<stage>\`, so a re-sent batch is answered 200 as duplicates; the others are acknowledged and counted as skipped. All or nothing: when any event maps to one the tenant refuses, 400 problem+json lists each problem and nothing is written (kube-apiserver retries, then drops the batch). docs/compat.md has the mapping.`;

export async function registerKubernetesRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await registerCompatScope(app, deps, {}, (scope) => {
    postWithOptionalSegment(
      scope,
      "/k8s/audit",
      "tenant",
      {
        without: {
          summary: "Kubernetes audit webhook: record a batch of audit events",
          description: description(
            " (the tenant is the X-Trailproof-Tenant (or X-Tenant) header's, else the key's own)",
          ),
        },
        with: {
          summary: "Kubernetes audit webhook: record a batch of audit events for the tenant the URL names",
          description: description(
            " to a server URL naming the tenant (for a platform key; a tenant key may name only its own)",
          ),
        },
      },
      { 200: AuditResponse, ...ProblemResponses },
      (request, reply, tenant) => receiveAuditEvents(deps, request, reply, tenant),
    );
  });
}
