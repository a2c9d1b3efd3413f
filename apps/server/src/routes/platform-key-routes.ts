// Platform keys (operator credential): create, list and revoke the ingest
// keys that append to many tenants (auth/principal.ts PlatformScope,
// compat/choose-tenant.ts). Like operator keys they belong to no tenant, so
// no tenant's log records their creation: the row keeps who made it and
// when, and every entry such a key appends names it in appended_by.
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { TrailproofError } from "@trailproof/core";
import { issuePlatformKey, type PlatformKeyRecord } from "@trailproof/ledger";
import {
  CreatedPlatformKeySchema,
  KeyParamsSchema,
  NewPlatformKeySchema,
  PlatformKeyListSchema,
  PlatformKeySchema,
  ProblemResponses,
} from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../deps.js";

const common = { tags: ["operator"], security: [{ bearer: [] }] };

export function toWirePlatformKey(r: PlatformKeyRecord) {
  return {
    key_id: r.keyId,
    name: r.name,
    tenants: r.tenants,
    create_tenants: r.createTenants,
    unknown_actions: r.unknownActions,
    created_at: r.createdAt,
    created_by: r.createdBy,
    revoked_at: r.revokedAt,
  };
}

export function registerPlatformKeyRoutes(app: FastifyInstance, deps: AppDeps): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.post(
    "/v1/platform-keys",
    {
      config: { permission: "operate" },
      schema: {
        ...common,
        summary: "Create a platform key; the key is shown once in the response",
        description:
          'An ingest key that appends to many tenants (`tenants`: "all" or a list of names), naming the tenant of each request (POST /v1/events: `X-Trailproof-Tenant`; compat endpoints: their own tenant field). With `create_tenants`, a tenant it names that does not exist yet is created on first use with its own log and signing key, `unknown_actions` as given, and no admin key (issue one with POST /v1/tenants/{tenant}/keys); the new tenant\'s log records which key created it.',
        body: NewPlatformKeySchema,
        response: { 201: CreatedPlatformKeySchema, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const { name, tenants, create_tenants: createTenants, unknown_actions: unknownActions } = request.body;
      const issued = await issuePlatformKey(deps.access, {
        name,
        tenants,
        createTenants: createTenants === true,
        ...(unknownActions ? { unknownActions } : {}),
        createdBy: `operator:${request.principal?.id}`,
      });
      return reply.code(201).send({ ...toWirePlatformKey(issued.record), key: issued.key });
    },
  );

  api.get(
    "/v1/platform-keys",
    {
      config: { permission: "operate" },
      schema: {
        ...common,
        summary: "Platform keys, revoked ones included (never the keys themselves)",
        response: { 200: PlatformKeyListSchema, ...ProblemResponses },
      },
    },
    async () => ({ keys: (await deps.access.listPlatformKeys()).map(toWirePlatformKey) }),
  );

  api.delete(
    "/v1/platform-keys/:keyId",
    {
      config: { permission: "operate" },
      schema: {
        ...common,
        summary: "Revoke a platform key, effective immediately",
        description:
          "Tenants it created stay, with everything it appended. KEY_NOT_FOUND (404) for an unknown or already revoked key.",
        params: KeyParamsSchema,
        response: { 200: PlatformKeySchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const { keyId } = request.params;
      if ((await deps.access.revokePlatformKey(keyId, new Date().toISOString())) !== "revoked") {
        throw new TrailproofError("KEY_NOT_FOUND", "no active platform key with this id");
      }
      return toWirePlatformKey((await deps.access.findPlatformKey(keyId)) as PlatformKeyRecord);
    },
  );
}
