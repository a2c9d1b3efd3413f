// POST /v1/events: one event or {"events": [...]}, answered once every
// accepted event is durable, with one result per event in order. One bad
// event does not block the others; nothing is written for a rejected one.
// The hot path: the body is parsed once (json-body.ts), nothing is logged per
// request (counted in /metrics), and the reply is encoded by hand. The tenant
// is the key's own, or for a platform key the one X-Trailproof-Tenant names
// (compat/choose-tenant.ts).
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { IngestBodySchema, IngestResponseSchema, ProblemResponses } from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { appenderOf, type Principal } from "../auth/principal.js";
import { chooseTenant, TENANT_HEADER } from "../compat/choose-tenant.js";
import type { AppDeps } from "../deps.js";
import { sendProblem } from "../http/problem.js";
import { appendRefusingServiceActions, countResults } from "../ingest/append-events.js";
import { encodeIngestResponse } from "./encode-ingest-response.js";

/**
 * The answer is encoded by hand (encode-ingest-response.ts): IngestResponseSchema
 * on the wire and in the OpenAPI document, the encoded string to Fastify.
 */
const EncodedIngestResponse = Type.Unsafe<string>(IngestResponseSchema);

export function registerIngestRoutes(app: FastifyInstance, deps: AppDeps): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.post(
    "/v1/events",
    {
      config: { permission: "append", ingest: true },
      schema: {
        summary: "Append one event, or a batch of up to 1,000",
        description:
          "Body: one event (docs/event-schema.md) or `{\"events\": [...]}`. Answers after the accepted events are fsynced. Each event is recorded with `appended_by` naming the key that sent it (an `appended_by` in the event is refused). Each result is `created` (with its log index and leaf hash), `duplicate` (same id and content, personal values included, sent before with the same key: its original receipt) or `rejected` (every problem listed; a taken id gets the same refusal whatever the recorded event holds). HTTP 200 whenever the request itself was well-formed. When the service cannot make more events durable soon it refuses the request at once, before reading the body where it can, and writes nothing of it: 503 `INGEST_OVERLOADED` (the service is at capacity) or 429 `INGEST_TENANT_OVERLOADED` (this tenant holds more than its share of the work in flight), with `Retry-After` in seconds; send the same events again after it. The tenant is the key's own; a platform key (POST /v1/platform-keys) names it in `X-Trailproof-Tenant: <tenant name>` (400 `TENANT_REQUIRED` without it, 403 `TENANT_NOT_ALLOWED` outside the key's tenants, 404 `TENANT_NOT_FOUND` for a tenant that does not exist and the key may not create). A tenant key may send the header naming its own tenant; naming another is refused with 403 `TENANT_NOT_ALLOWED`.",
        tags: ["ingest"],
        security: [{ bearer: [] }],
        headers: Type.Object({
          [TENANT_HEADER]: Type.Optional(
            Type.String({ maxLength: 200, description: "the tenant to append to; required with a platform key" }),
          ),
        }),
        body: IngestBodySchema,
        response: { 200: EncodedIngestResponse, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const isBatch = Object.keys(body).length === 1 && "events" in body;
      if (isBatch && !Array.isArray(body.events)) {
        return sendProblem(request, reply, "REQUEST_INVALID", "events must be an array", [
          { pointer: "/events", message: "must be an array of events" },
        ]);
      }
      const events = isBatch ? (body.events as unknown[]) : [body];
      if (events.length > deps.config.maxBatchEvents) {
        return sendProblem(
          request,
          reply,
          "BATCH_TOO_LARGE",
          `at most ${deps.config.maxBatchEvents} events per request`,
          [{ pointer: "/events", message: `has ${events.length} events; send at most ${deps.config.maxBatchEvents}` }],
        );
      }
      const tenant = await chooseTenant(deps, request.principal as Principal, request.headers[TENANT_HEADER]);
      const started = process.hrtime.bigint();
      const results = await appendRefusingServiceActions(deps, tenant, events, appenderOf(request.principal));
      deps.metrics.appendSeconds.observe(
        { batch: events.length === 1 ? "1" : events.length <= 100 ? "2-100" : "101+" },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
      countResults(deps, results);
      // A string with a JSON media type skips Fastify's schema-driven serializer.
      return reply.type("application/json; charset=utf-8").send(encodeIngestResponse(results));
    },
  );
}
