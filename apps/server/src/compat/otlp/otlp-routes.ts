// OpenTelemetry logs over OTLP/HTTP: POST /v1/logs takes an
// ExportLogsServiceRequest as JSON or protobuf (gzip or not) from any OTLP
// log exporter, maps each log record onto an event (otlp-mapping.ts) and
// appends it. Records are refused one by one, as OTLP's partial success
// defines: the valid ones are kept and the answer counts the others in
// partialSuccess.rejectedLogRecords. A request that is no ExportLogsServiceRequest,
// or names a tenant its key may not append to, writes nothing.
import type { JsonObject } from "@trailproof/core";
import type { AppendResult } from "@trailproof/ledger";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { appenderOf } from "../../auth/principal.js";
import type { AppDeps } from "../../deps.js";
import { parseJsonBytes } from "../../http/json-body.js";
import { HttpProblem } from "../../http/problem.js";
import { appendRefusingServiceActions, countResults } from "../../ingest/append-events.js";
import { chooseTenant, tenantFromHeaders } from "../choose-tenant.js";
import { APPEND_ROUTE, COMPAT_SCHEMA, principalOf, registeredActions } from "../compat-request.js";
import { registerCompatScope } from "../compat-scope.js";
import { mapLogRecord, requestedTenantOf } from "./otlp-mapping.js";
import { decodeExportRequest, encodeExportResponse } from "./otlp-proto.js";
import { type OtlpLogRecord, parseExportRequest } from "./otlp-request.js";
import { answerErrorsAsStatus, mediaTypeOf, OTLP_ERRORS, PROTOBUF_TYPE } from "./otlp-status.js";

/** How many refusals partialSuccess.errorMessage spells out. */
const MAX_REASONS = 5;

interface Pending {
  record: OtlpLogRecord;
  event: JsonObject;
}

const DESCRIPTION = [
  "OTLP/HTTP logs (docs/compat.md#opentelemetry-logs-otlphttp): an `ExportLogsServiceRequest` as `application/json` or `application/x-protobuf`, optionally gzip.",
  "Each log record becomes one event; its tenant is its `tenant.id` attribute (record, then resource), else the `X-Trailproof-Tenant` or `X-Tenant` header, else the key's own.",
  "Answers 200 in the request's encoding with an `ExportLogsServiceResponse`: empty, or `partialSuccess` counting the records refused (the others are kept).",
  "A retried record is not stored twice: its id is its `event.id`/`audit.id` attribute, else a hash of its content.",
  "Errors are a `google.rpc.Status` in the request's encoding: 400 malformed, 401/403 credentials and tenants, 413 too large, 415 another media type, 429/503 retry later.",
].join(" ");

export async function registerOtlpRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await registerCompatScope(app, deps, {}, (scope) => {
    answerErrorsAsStatus(scope);
    scope.post(
      "/v1/logs",
      {
        config: { ...APPEND_ROUTE, ...OTLP_ERRORS },
        schema: {
          summary: "OpenTelemetry logs over OTLP/HTTP (JSON or protobuf)",
          description: DESCRIPTION,
          ...COMPAT_SCHEMA,
        },
      },
      (request, reply) => exportLogs(deps, request, reply),
    );
  });
}

/** The body as an ExportLogsServiceRequest's records; throws HttpProblem (400, 415) when it is none. */
function recordsOf(request: FastifyRequest): OtlpLogRecord[] {
  const type = mediaTypeOf(request);
  const body = (request.body as Buffer | undefined) ?? Buffer.alloc(0);
  if (type === PROTOBUF_TYPE) return parseExportRequest(decodeExportRequest(body));
  if (type === "application/json") return parseExportRequest(parseJsonBytes(body));
  throw new HttpProblem(
    "REQUEST_UNSUPPORTED_MEDIA_TYPE",
    `OTLP/HTTP bodies are application/json or ${PROTOBUF_TYPE}, not ${JSON.stringify(type.slice(0, 60) || "none")}`,
  );
}

async function exportLogs(deps: AppDeps, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const records = recordsOf(request);
  const principal = principalOf(request);
  const fromHeader = tenantFromHeaders(request.headers);

  // Every tenant is settled before anything is written: a refused one refuses the request.
  const tenants = new Map<string | undefined, string>();
  const registered = new Map<string, Set<string>>();
  // A header naming a tenant is checked even when no record ends up there.
  const named = fromHeader === undefined ? records : [undefined, ...records];
  for (const record of named) {
    const requested = (record && requestedTenantOf(record)) ?? fromHeader;
    if (tenants.has(requested)) continue;
    const tenant = await chooseTenant(deps, principal, requested);
    tenants.set(requested, tenant);
    if (!registered.has(tenant)) {
      registered.set(tenant, await registeredActions(deps, tenant));
    }
  }

  const reasons: string[] = [];
  let rejected = 0;
  const refuse = (record: OtlpLogRecord, why: string) => {
    rejected++;
    if (reasons.length < MAX_REASONS) reasons.push(`/${record.pointer} ${why}`);
  };
  const byTenant = new Map<string, Pending[]>();
  for (const record of records) {
    const tenant = tenants.get(requestedTenantOf(record) ?? fromHeader) as string;
    const actions = registered.get(tenant) as Set<string>;
    const mapped = mapLogRecord(record, (action) => actions.has(action));
    if ("refusal" in mapped) {
      refuse(record, mapped.refusal);
      continue;
    }
    const pending = byTenant.get(tenant) ?? [];
    pending.push({ record, event: mapped.event });
    byTenant.set(tenant, pending);
  }

  const appendedBy = appenderOf(principal);
  for (const [tenant, pending] of byTenant) {
    for (let start = 0; start < pending.length; start += deps.config.maxBatchEvents) {
      const chunk = pending.slice(start, start + deps.config.maxBatchEvents);
      const results: AppendResult[] = await appendRefusingServiceActions(
        deps,
        tenant,
        chunk.map((p) => p.event),
        appendedBy,
      );
      countResults(deps, results);
      results.forEach((result, i) => {
        if (result.status !== "rejected") return;
        const problems = result.problems.map((p) => `${p.pointer} ${p.message}`).join("; ");
        refuse((chunk[i] as Pending).record, `was refused: ${problems}`);
      });
    }
  }

  const message =
    rejected === 0
      ? ""
      : `${rejected} log record(s) refused: ${reasons.join(" | ")}${rejected > reasons.length ? " | ..." : ""}`;
  if (mediaTypeOf(request) === PROTOBUF_TYPE) {
    return reply.code(200).type(PROTOBUF_TYPE).send(encodeExportResponse(rejected, message));
  }
  const body =
    rejected === 0 ? {} : { partialSuccess: { rejectedLogRecords: String(rejected), errorMessage: message } };
  return reply.code(200).type("application/json").send(JSON.stringify(body));
}
