// WorkOS audit logs (`@workos-inc/node` 8.x), at the server root because the
// SDK drops any path prefix: events (201 `{"success":true}`, deduplicated by
// Idempotency-Key), schemas onto our action schema registry, and exports as a
// CSV behind an unguessable, expiring URL. The organization_id names the
// tenant (compat/choose-tenant.ts). Errors answer in WorkOS's JSON convention
// (workos-errors.ts) so the SDK throws its own exceptions.
import { TrailproofError } from "@trailproof/core";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { MetaAudit } from "../../audit/meta-audit.js";
import { tenantOf } from "../../auth/authenticate.js";
import type { AppDeps } from "../../deps.js";
import { HttpProblem } from "../../http/problem.js";
import { appendAllOrRefuse } from "../append-all-or-refuse.js";
import { chooseTenant } from "../choose-tenant.js";
import { APPEND_ROUTE, COMPAT_SCHEMA, jsonBodyOf, principalOf, registeredActions } from "../compat-request.js";
import { registerCompatScope } from "../compat-scope.js";
import { isObject } from "../mapping/json-guards.js";
import { toActionName } from "../mapping/source-names.js";
import { WORKOS_ERRORS, workosError } from "./workos-errors.js";
import { toEnvelope, workosEventId, workosEventProblems } from "./workos-event.js";
import { exportCsv } from "./workos-export-csv.js";
import {
  type ExportRecord,
  exportAnswer,
  exportForToken,
  findExport,
  issueDownloadToken,
  newExportId,
  parseExportFilter,
  saveExport,
} from "./workos-exports.js";
import { toActionDefinition, workosSchemaProblems } from "./workos-schema.js";

const JSON_TYPE = "application/json; charset=utf-8";
const common = COMPAT_SCHEMA;
// Errors carry no response schema: the handler's problem document is
// serialized first, then rewritten into WorkOS's `{message, code, errors?}`
// (workos-errors.ts), which a schema here would refuse to serialize.
const errors = {};
const ExportAnswer = Type.Object({
  object: Type.Literal("audit_log_export"),
  id: Type.String(),
  state: Type.String(),
  url: Type.String(),
  created_at: Type.String(),
  updated_at: Type.String(),
});

const bodyOf = (request: FastifyRequest) => jsonBodyOf(request);
const objectOf = (v: unknown) => (isObject(v) ? v : {});

export async function registerWorkOSRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const audit = new MetaAudit(deps.ledger, deps.shared);
  await registerCompatScope(app, deps, { translateProblem: workosError }, (scope) => {
    scope.post(
      "/audit_logs/events",
      {
        config: { ...APPEND_ROUTE, ...WORKOS_ERRORS },
        schema: {
          ...common,
          summary: "WorkOS: create an audit log event",
          description:
            'Body `{"organization_id", "event"}` as @workos-inc/node sends it; the organization names the tenant. 201 `{"success":true}`. The same Idempotency-Key from the same key for the same organization is the same event: sent again it answers the same, with other content 409.',
          response: { 201: Type.Object({ success: Type.Boolean() }), ...errors },
        },
      },
      async (request, reply) => {
        await createEvent(deps, request);
        return reply.code(201).type(JSON_TYPE).send({ success: true });
      },
    );

    scope.post(
      "/audit_logs/actions/:action/schemas",
      {
        config: { permission: "administer", ...WORKOS_ERRORS },
        schema: {
          ...common,
          summary: "WorkOS: register an audit log schema (the action's next version in the schema registry)",
          params: Type.Object({ action: Type.String({ minLength: 1, maxLength: 256 }) }),
          response: { 201: Type.Unknown(), ...errors },
        },
      },
      async (request, reply) => {
        const { action } = request.params as { action: string };
        const body = bodyOf(request);
        const problems = workosSchemaProblems(body);
        if (problems.length > 0) throw new HttpProblem("REQUEST_INVALID", "the schema is invalid", { problems });
        const tenant = tenantOf(request);
        const mapped = toActionDefinition(action, objectOf(body), 1);
        const versions = (await deps.ledger.actionSchemas(tenant)).filter((d) => d.action === mapped.action);
        const version = Math.max(0, ...versions.map((d) => d.version)) + 1;
        const registered = await deps.ledger.registerActionSchema(tenant, { ...mapped, version });
        await audit.record(request, {
          action: "schema.register",
          target: { type: "action_schema", id: registered.action },
          metadata: { version: registered.version },
        });
        const b = objectOf(body);
        return reply
          .code(201)
          .type(JSON_TYPE)
          .send({
            object: "audit_log_schema",
            version: registered.version,
            targets: b.targets,
            ...(b.actor === undefined ? {} : { actor: b.actor }),
            ...(b.metadata === undefined ? {} : { metadata: b.metadata }),
            created_at: new Date().toISOString(),
          });
      },
    );

    scope.post(
      "/audit_logs/exports",
      {
        config: { permission: "export", ...WORKOS_ERRORS },
        schema: {
          ...common,
          summary: "WorkOS: create an audit log export (a CSV behind a URL)",
          description:
            "Auditor or admin key. Ready at once: `url` serves the CSV without a key for 10 minutes; GET the export again for a fresh URL (24 hours).",
          response: { 201: ExportAnswer, ...errors },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const body = objectOf(bodyOf(request));
        const filter = parseExportFilter(body);
        const organization = typeof body.organization_id === "string" ? body.organization_id : undefined;
        const tenant = await chooseTenant(deps, principal, organization);
        const record: ExportRecord = {
          id: newExportId(),
          tenant,
          tenantId: (await deps.ledger.tenantRecord(tenant)).tenantId,
          filter,
          treeSize: await deps.ledger.treeSize(tenant),
          createdAt: new Date().toISOString(),
          creator: { id: principal.id, actor: principal.actor, role: principal.role, via: principal.via },
        };
        await saveExport(deps.shared, record);
        return reply
          .code(201)
          .type(JSON_TYPE)
          .send(exportAnswer(record, await downloadUrl(deps, request, record.id)));
      },
    );

    scope.get(
      "/audit_logs/exports/:id",
      {
        config: { permission: "export", ...WORKOS_ERRORS },
        schema: {
          ...common,
          summary: "WorkOS: an audit log export, with a fresh URL to its CSV",
          params: Type.Object({ id: Type.String({ maxLength: 128 }) }),
          response: { 200: ExportAnswer, ...errors },
        },
      },
      async (request, reply) => {
        const { id } = request.params as { id: string };
        const record = await findExport(deps.shared, id, tenantOf(request));
        if (!record) throw new TrailproofError("NOT_FOUND", `no export ${JSON.stringify(id.slice(0, 128))}`);
        return reply.type(JSON_TYPE).send(exportAnswer(record, await downloadUrl(deps, request, record.id)));
      },
    );

    scope.get(
      "/audit_logs/exports/:id/csv",
      {
        config: WORKOS_ERRORS,
        schema: {
          tags: ["compat"],
          summary: "WorkOS: an export's CSV, by the one-off token in its URL (no key)",
          description:
            "The token stands for the key that made the export: the CSV is read with its role and the read is meta-audited as it (`audit.export`).",
          params: Type.Object({ id: Type.String({ maxLength: 128 }) }),
          querystring: Type.Object({ token: Type.String({ maxLength: 64 }) }),
          produces: ["text/csv"],
          response: { ...errors },
        },
      },
      async (request, reply) => downloadCsv(deps, audit, request, reply),
    );
  });
}

/** Appends the request's event (untrusted) once per Idempotency-Key; throws in WorkOS's terms on refusal. */
async function createEvent(deps: AppDeps, request: FastifyRequest): Promise<void> {
  const principal = principalOf(request);
  const body = bodyOf(request);
  const problems = workosEventProblems(body);
  if (problems.length > 0) throw new HttpProblem("REQUEST_INVALID", "the audit log event is invalid", { problems });
  const b = objectOf(body);
  const tenant = await chooseTenant(deps, principal, b.organization_id as string | undefined);
  const header = request.headers["idempotency-key"];
  const idempotencyKey = typeof header === "string" && header !== "" ? header : undefined;
  const id = workosEventId(tenant, principal.id, idempotencyKey);
  const event = objectOf(b.event);
  const action = toActionName(event.action as string, "workos");
  const registered = (await registeredActions(deps, tenant)).has(action);
  const envelope = toEnvelope(event, id, registered);
  await appendAllOrRefuse(deps, request, tenant, [envelope], [""], (problems) =>
    idempotencyKey !== undefined && problems.some((p) => p.pointer === "/id")
      ? new TrailproofError(
          "IDEMPOTENCY_KEY_REUSED",
          "this Idempotency-Key was used before with other content; send a new key for a new event",
        )
      : new TrailproofError("EVENT_INVALID", "the audit log event was refused; nothing was written", { problems }),
  );
}

/** An absolute URL to export `id`'s CSV with a fresh token, on the host the request came to. */
async function downloadUrl(deps: AppDeps, request: FastifyRequest, id: string): Promise<string> {
  const token = await issueDownloadToken(deps.shared, id);
  return `${request.protocol}://${request.host}/audit_logs/exports/${encodeURIComponent(id)}/csv?token=${token}`;
}

async function downloadCsv(deps: AppDeps, audit: MetaAudit, request: FastifyRequest, reply: FastifyReply) {
  const { id } = request.params as { id: string };
  const { token } = request.query as { token: string };
  const record = await exportForToken(deps.shared, id, token);
  if (!record || !(await creatorStillAllowed(deps, record))) {
    throw new TrailproofError("NOT_FOUND", "no such export, or its URL has expired: GET the export again");
  }
  // The token stands for the key that made the export: the read is recorded as that key's.
  request.principal = { ...record.creator, tenant: record.tenant, tenantId: record.tenantId };
  await audit.record(request, {
    action: "audit.export",
    target: { type: "log", id: record.tenant },
    metadata: { format: "workos_csv", export_id: record.id, filter: record.filter, tree_size: record.treeSize },
  });
  return reply
    .type("text/csv; charset=utf-8")
    .header("content-disposition", `attachment; filename="${record.id}.csv"`)
    .send(exportCsv(deps, record));
}

/** True while the key that made the export is not revoked (or the person not disabled): a URL outlives no credential. */
async function creatorStillAllowed(deps: AppDeps, record: ExportRecord): Promise<boolean> {
  const { creator } = record;
  if (creator.via === "api_key") {
    const key = await deps.access.findApiKey(creator.id);
    return key !== undefined && key.revokedAt === null && key.tenantId === record.tenantId;
  }
  if (creator.via === "session") {
    const person = await deps.people.findPerson(record.tenantId, creator.actor.id);
    return person !== undefined && person.disabledAt === null;
  }
  return false;
}
