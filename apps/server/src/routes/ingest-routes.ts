// POST /v1/events: one event or {"events": [...]}, answered once every
// accepted event is durable, with one result per event in order. One bad
// event does not block the others; nothing is written for a rejected one.
// The hot path: the body is parsed once (json-body.ts), nothing is logged per
// request (counted in /metrics), and the reply is encoded by hand.
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { type AppendedBy, isServiceAction } from "@trailproof/core";
import type { AppendResult } from "@trailproof/ledger";
import { IngestBodySchema, IngestResponseSchema, ProblemResponses } from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { tenantOf } from "../auth/authenticate.js";
import { appenderOf } from "../auth/principal.js";
import type { AppDeps } from "../deps.js";
import { rejectionReason } from "../http/metrics.js";
import { sendProblem } from "../http/problem.js";
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
          'Body: one event (docs/event-schema.md) or `{"events": [...]}`. Answers after the accepted events are fsynced. Each event is recorded with `appended_by` naming the key that sent it (an `appended_by` in the event is refused). Each result is `created` (with its log index and leaf hash), `duplicate` (same id and content, personal values included, sent before with the same key: its original receipt) or `rejected` (every problem listed; a taken id gets the same refusal whatever the recorded event holds). HTTP 200 whenever the request itself was well-formed. When the service cannot make more events durable soon it refuses the request at once, before reading the body where it can, and writes nothing of it: 503 `INGEST_OVERLOADED` (the service is at capacity) or 429 `INGEST_TENANT_OVERLOADED` (this tenant holds more than its share of the work in flight), with `Retry-After` in seconds; send the same events again after it.',
        tags: ["ingest"],
        security: [{ bearer: [] }],
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
      const started = process.hrtime.bigint();
      const results = await appendRefusingServiceActions(
        deps,
        tenantOf(request),
        events,
        appenderOf(request.principal),
      );
      deps.metrics.appendSeconds.observe(
        { batch: events.length === 1 ? "1" : events.length <= 100 ? "2-100" : "101+" },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
      let created = 0;
      let duplicate = 0;
      for (const r of results) {
        if (r.status === "created") created++;
        else if (r.status === "duplicate") duplicate++;
        else if (r.status === "rejected") {
          deps.metrics.appendedEvents.inc({ status: "rejected" });
          deps.metrics.rejectedEvents.inc({ reason: rejectionReason(r.problems[0]?.pointer) });
        }
      }
      if (created > 0) deps.metrics.appendedEvents.inc({ status: "created" }, created);
      if (duplicate > 0) deps.metrics.appendedEvents.inc({ status: "duplicate" }, duplicate);
      // A string with a JSON media type skips Fastify's schema-driven serializer.
      return reply.type("application/json; charset=utf-8").send(encodeIngestResponse(results));
    },
  );
}

/**
 * Appends `events` for `appendedBy`, except those naming an action only the
 * service records (audit.*, apikey.*, ...): those are rejected at /action, in
 * place, so the results keep the order of the request.
 */
async function appendRefusingServiceActions(
  deps: AppDeps,
  tenant: string,
  events: unknown[],
  appendedBy: AppendedBy,
): Promise<AppendResult[]> {
  const reserved = events.map((e) => isServiceAction((e as { action?: unknown } | null)?.action));
  if (!reserved.includes(true)) return deps.ledger.append(tenant, events, { appendedBy });
  const appended = await deps.ledger.append(
    tenant,
    events.filter((_, i) => !reserved[i]),
    { appendedBy },
  );
  let next = 0;
  return events.map((e, i): AppendResult => {
    if (!reserved[i]) return appended[next++] as AppendResult;
    const id = (e as { id?: unknown }).id;
    return {
      status: "rejected",
      id: typeof id === "string" ? id : null,
      problems: [{ pointer: "/action", message: "is recorded by the service itself and cannot be sent" }],
    };
  });
}
