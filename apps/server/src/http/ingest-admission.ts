// Admission control at the door of the ingest routes. Once the caller is
// authenticated (onRequest, before the body is read), a request is refused
// at once with Retry-After when the ledger would refuse its tenant now
// (the writer is behind, or the tenant holds more than its share: the
// ledger's ingest-admission.ts) or when the request bodies already being
// received or appended would pass the byte budget. Refusing here costs a
// header parse; refusing after the body would cost reading, parsing and
// validating it. The ledger decides again, with the real event count, when
// the body is in (that refusal is answered by problem.ts). A platform key has
// no tenant of its own: its tenant is the one X-Trailproof-Tenant names, when
// that is within its scope; without one (a compat body names it) only the
// byte budget applies here, and the ledger decides once the body is in.
import { type AdmissionReason, IngestOverloadedError } from "@trailproof/ledger";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { platformTenantHint } from "../compat/choose-tenant.js";
import type { AppDeps } from "../deps.js";
import { sendProblem } from "./problem.js";

/** Why an ingest request was refused: the ledger's reasons, the server's byte budget, the key's rate limit. */
export type RefusalReason = AdmissionReason | "inflight_bytes" | "rate_limit";

export function registerIngestAdmission(app: FastifyInstance, deps: AppDeps): void {
  let inflightBytes = 0;
  deps.metrics.bindInflightBytes(() => inflightBytes);
  const refuse = (
    request: FastifyRequest,
    reply: FastifyReply,
    reason: AdmissionReason | "inflight_bytes",
    retryAfterMs: number,
  ) => {
    deps.metrics.ingestRefusals.inc({ reason });
    reply.header("retry-after", String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
    const err = reason === "inflight_bytes" ? undefined : new IngestOverloadedError({ reason, retryAfterMs });
    return sendProblem(
      request,
      reply,
      err?.code ?? "INGEST_OVERLOADED",
      err?.message ?? "the service is receiving as many request bodies as it is configured for; retry later",
    );
  };

  // Registered after authentication, so request.principal is set when this runs.
  app.addHook("onRequest", async (request, reply) => {
    const principal = request.principal;
    if (request.routeOptions.config.ingest !== true || principal === undefined) return;
    const tenant = principal.tenant ?? platformTenantHint(principal, request.headers);
    if (!tenant && principal.platform === undefined) return;
    const refusal = tenant ? deps.ledger.admissionCheck(tenant, 1) : undefined;
    if (refusal) return refuse(request, reply, refusal.reason, refusal.retryAfterMs);
    // A body without a length (chunked) is counted at the most it may be.
    const declared = Number(request.headers["content-length"]);
    const bytes = Number.isSafeInteger(declared) && declared >= 0 ? declared : deps.config.maxBodyBytes;
    if (inflightBytes > 0 && inflightBytes + bytes > deps.config.ingestMaxInflightBytes) {
      return refuse(request, reply, "inflight_bytes", 1000);
    }
    inflightBytes += bytes;
    // 'close' comes once the answer is sent or the connection is gone, whichever ends the request.
    reply.raw.once("close", () => {
      inflightBytes -= bytes;
    });
  });

  // Refused by the ledger once the body was in: counted here, answered by problem.ts.
  app.addHook("onError", async (request, _reply, err) => {
    if (err instanceof IngestOverloadedError) deps.metrics.ingestRefusals.inc({ reason: err.reason });
    else if (err.statusCode === 429 && request.routeOptions.config.ingest === true) {
      deps.metrics.ingestRefusals.inc({ reason: "rate_limit" });
    }
  });
}
