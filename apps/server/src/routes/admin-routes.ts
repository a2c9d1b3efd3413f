// Tenant administration (admin role): action schemas, API keys and tenant
// settings. Every change is recorded in the tenant's own log. Nobody, admin
// included, can edit or delete an event: there is no route for it. The last
// admin credential of a tenant cannot be revoked (LAST_ADMIN): a tenant that
// could no longer administer itself would need the operator to recover.
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { type ActionDefinition, TrailproofError } from "@trailproof/core";
import { type ApiKeyRecord, issueApiKey } from "@trailproof/ledger";
import {
  ActionParamsSchema,
  ActionSchemaBodySchema,
  ActionSchemaListSchema,
  ActionSchemaVersionsSchema,
  ApiKeyListSchema,
  ApiKeySchema,
  CreatedApiKeySchema,
  KeyParamsSchema,
  NewApiKeySchema,
  ProblemResponses,
  SettingsPatchSchema,
  TenantSettingsSchema,
} from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { MetaAudit } from "../audit/meta-audit.js";
import { tenantOf } from "../auth/authenticate.js";
import type { AppDeps } from "../deps.js";

const common = { tags: ["admin"], security: [{ bearer: [] }] };

export function toWireKey(r: ApiKeyRecord) {
  return {
    key_id: r.keyId,
    role: r.role,
    name: r.name,
    created_at: r.createdAt,
    created_by: r.createdBy,
    revoked_at: r.revokedAt,
  };
}

export function registerAdminRoutes(app: FastifyInstance, deps: AppDeps, audit: MetaAudit): void {
  const { ledger, access } = deps;
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    "/v1/schemas",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "Every registered action schema version",
        response: { 200: ActionSchemaListSchema, ...ProblemResponses },
      },
    },
    async (request) => ({ schemas: await ledger.actionSchemas(tenantOf(request)) }),
  );

  api.get(
    "/v1/schemas/:action",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "Every version of one action's schema",
        params: ActionParamsSchema,
        response: { 200: ActionSchemaVersionsSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const { action } = request.params;
      const versions = (await ledger.actionSchemas(tenantOf(request))).filter((d) => d.action === action);
      if (versions.length === 0) throw new TrailproofError("SCHEMA_NOT_FOUND", `no schema registered for ${action}`);
      return { action, versions };
    },
  );

  api.post(
    "/v1/schemas",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "Register a new version of an action's schema",
        description:
          "Refused with SCHEMA_INCOMPATIBLE (every break listed) unless every event valid under the previous version stays valid.",
        body: ActionSchemaBodySchema,
        response: { 201: Type.Unknown(), ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const tenant = tenantOf(request);
      // Untrusted: the registry validates the whole definition and lists every problem (SCHEMA_INVALID).
      const registered = await ledger.registerActionSchema(tenant, request.body as ActionDefinition);
      await audit.record(request, {
        action: "schema.register",
        target: { type: "action_schema", id: registered.action },
        metadata: { version: registered.version },
      });
      return reply.code(201).send(registered);
    },
  );

  api.get(
    "/v1/keys",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "The tenant's API keys (never the keys themselves)",
        response: { 200: ApiKeyListSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const record = await ledger.tenantRecord(tenantOf(request));
      return { keys: (await access.listApiKeys(record.tenantId)).map(toWireKey) };
    },
  );

  api.post(
    "/v1/keys",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "Create an API key; the key is shown once in the response",
        body: NewApiKeySchema,
        response: { 201: CreatedApiKeySchema, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const tenant = tenantOf(request);
      const { role, name } = request.body;
      const record = await ledger.tenantRecord(tenant);
      const issued = await issueApiKey(access, {
        tenantId: record.tenantId,
        role,
        name,
        createdBy: request.principal?.actor.id ?? null,
      });
      await audit.record(request, {
        action: "apikey.create",
        target: { type: "api_key", id: issued.record.keyId },
        metadata: { role, name },
      });
      return reply.code(201).send({ ...toWireKey(issued.record), key: issued.key });
    },
  );

  api.delete(
    "/v1/keys/:keyId",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "Revoke an API key, effective immediately",
        description:
          "Refused with LAST_ADMIN (409) when the key is the tenant's last admin credential: no other active admin key and no enabled admin person would remain. Create another admin key or admin person first.",
        params: KeyParamsSchema,
        response: { 200: ApiKeySchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const tenant = tenantOf(request);
      const { keyId } = request.params;
      const record = await ledger.tenantRecord(tenant);
      const key = await access.findApiKey(keyId);
      const outcome =
        key?.tenantId === record.tenantId
          ? await access.revokeApiKey(record.tenantId, keyId, new Date().toISOString())
          : "not_found";
      if (outcome === "last_admin") {
        const own = request.principal?.via === "api_key" && request.principal.id === keyId;
        throw new TrailproofError(
          "LAST_ADMIN",
          `${own ? "this is your own key and" : "this key is"} the tenant's last admin credential: create another admin key or admin person first`,
        );
      }
      if (!key || outcome !== "revoked") {
        throw new TrailproofError("KEY_NOT_FOUND", "no active key with this id in this tenant");
      }
      await audit.record(request, {
        action: "apikey.revoke",
        target: { type: "api_key", id: keyId },
        metadata: { role: key.role, name: key.name },
      });
      return toWireKey((await access.findApiKey(keyId)) as ApiKeyRecord);
    },
  );

  api.get(
    "/v1/settings",
    {
      config: { permission: "administer" },
      schema: { ...common, summary: "Tenant settings", response: { 200: TenantSettingsSchema, ...ProblemResponses } },
    },
    async (request) => {
      const record = await ledger.tenantRecord(tenantOf(request));
      return { tenant: record.name, origin: record.origin, unknown_actions: record.unknownActions };
    },
  );

  api.patch(
    "/v1/settings",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "Change tenant settings",
        body: SettingsPatchSchema,
        response: { 200: TenantSettingsSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const tenant = tenantOf(request);
      const { unknown_actions: policy } = request.body;
      const before = await ledger.tenantRecord(tenant);
      const record = await ledger.setUnknownActions(tenant, policy);
      await audit.record(request, {
        action: "tenant.settings.update",
        target: { type: "tenant", id: tenant },
        change: { before: { unknown_actions: before.unknownActions }, after: { unknown_actions: policy } },
      });
      return { tenant: record.name, origin: record.origin, unknown_actions: record.unknownActions };
    },
  );
}
