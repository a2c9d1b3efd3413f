// CloudEvents 1.0 over HTTP: POST /v1/cloudevents takes binary, structured
// and batch mode (cloudevents-request.ts), maps each event
// (cloudevents-mapping.ts) and appends them all or none, answering 202 with
// no body. A redelivery (the same source and id) is answered 202 and not
// stored again. Errors are problem+json: CloudEvents senders such as the
// SDK's emitter ignore the answer's status and body anyway.
import type { JsonObject } from "@trailproof/core";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AppDeps } from "../../deps.js";
import { HttpProblem } from "../../http/problem.js";
import { appendAllOrRefuse, type RefusalError } from "../append-all-or-refuse.js";
import { chooseTenant, tenantFromHeaders } from "../choose-tenant.js";
import { APPEND_ROUTE, COMPAT_SCHEMA, principalOf, registeredActions } from "../compat-request.js";
import { registerCompatScope } from "../compat-scope.js";
import { mapCloudEvent, requestedTenantOf } from "./cloudevents-mapping.js";
import { parseCloudEvents, type ReceivedCloudEvent } from "./cloudevents-request.js";

const DESCRIPTION = [
  "CloudEvents 1.0 HTTP binding (docs/compat.md#cloudevents): binary mode (`ce-*` headers), structured mode (`application/cloudevents+json`) or batch mode (`application/cloudevents-batch+json`).",
  "Each event's tenant is its `tenant` (or `tenantid`) extension, else the `X-Trailproof-Tenant` or `X-Tenant` header, else the key's own; a batch appends to one tenant.",
  "All or nothing: answers 202 with no body once every event is stored, or refuses the request (problem+json, 400 `EVENT_INVALID` listing each problem) and writes nothing.",
  "An event whose `source` and `id` were stored before is not stored again.",
].join(" ");

export async function registerCloudEventsRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await registerCompatScope(app, deps, {}, (scope) => {
    scope.post(
      "/v1/cloudevents",
      {
        config: APPEND_ROUTE,
        schema: {
          summary: "CloudEvents 1.0: binary, structured and batch mode",
          description: DESCRIPTION,
          ...COMPAT_SCHEMA,
        },
      },
      (request, reply) => receiveCloudEvents(deps, request, reply),
    );
  });
}

/** A request with an event that cannot be recorded: nothing of it is. */
const refused: RefusalError = (problems) =>
  new HttpProblem("EVENT_INVALID", "an event cannot be recorded; nothing of the request was", { problems });

/** The one tenant every event of the request appends to; throws when they name several. */
async function tenantOfRequest(
  deps: AppDeps,
  request: FastifyRequest,
  events: readonly ReceivedCloudEvent[],
): Promise<string> {
  const principal = principalOf(request);
  const fromHeader = tenantFromHeaders(request.headers);
  const named = new Set<string | undefined>(events.map((e) => requestedTenantOf(e) ?? fromHeader));
  if (named.size === 0) named.add(fromHeader);
  const tenants = new Set<string>();
  for (const requested of named) tenants.add(await chooseTenant(deps, principal, requested));
  if (tenants.size > 1) {
    throw new HttpProblem(
      "REQUEST_INVALID",
      `a batch appends to one tenant; this one names ${[...tenants].join(", ")}`,
    );
  }
  return [...tenants][0] as string;
}

async function receiveCloudEvents(deps: AppDeps, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const { events } = parseCloudEvents(request.headers, request.body as Buffer | undefined);
  // All or nothing is one append, which holds at most a batch.
  if (events.length > deps.config.maxBatchEvents) {
    throw new HttpProblem("BATCH_TOO_LARGE", `a batch holds at most ${deps.config.maxBatchEvents} events`);
  }
  const tenant = await tenantOfRequest(deps, request, events);
  const actions = await registeredActions(deps, tenant);
  const receivedAt = new Date().toISOString();

  const mapped: JsonObject[] = [];
  const refusals: { pointer: string; message: string }[] = [];
  for (const ce of events) {
    const result = mapCloudEvent(ce, receivedAt, (action) => actions.has(action));
    if ("refusal" in result) refusals.push(result.refusal);
    else mapped.push(result.event);
  }
  if (refusals.length > 0) throw refused(refusals, refusals.length, events.length);

  // The spec makes (source, id) unique: one stored already is a redelivery, whatever else changed
  // (an event sent without time maps to a new occurred_at each time).
  const fresh: JsonObject[] = [];
  const pointers: string[] = [];
  for (const [i, event] of mapped.entries()) {
    if (await deps.ledger.findEntry(tenant, event.id as string)) continue;
    fresh.push(event);
    pointers.push((events[i] as ReceivedCloudEvent).pointer);
  }
  await appendAllOrRefuse(deps, request, tenant, fresh, pointers, refused);
  return reply.code(202).send();
}
