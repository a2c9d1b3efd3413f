// Tenant administration (/v1/schemas, /v1/keys, /v1/settings): action
// schemas, API keys and tenant settings. Key and settings answers are in
// wire-schemas.ts, beside the other shapes the SDK reads.
import { type Static, Type } from "typebox";
import { ApiKeySchema } from "./wire-schemas.js";

export const TenantRoleSchema = Type.Union([
  Type.Literal("ingest"),
  Type.Literal("viewer"),
  Type.Literal("auditor"),
  Type.Literal("admin"),
]);

export const UnknownActionsSchema = Type.Union([Type.Literal("reject"), Type.Literal("accept")]);

export const ActionSchemaListSchema = Type.Object({ schemas: Type.Array(Type.Unknown()) });

export const ActionParamsSchema = Type.Object({ action: Type.String({ maxLength: 128 }) });

export const ActionSchemaVersionsSchema = Type.Object({ action: Type.String(), versions: Type.Array(Type.Unknown()) });

/** An action definition (core's ActionDefinition); the ledger validates it and lists every problem. */
export const ActionSchemaBodySchema = Type.Object({}, { additionalProperties: true });

export const ApiKeyListSchema = Type.Object({ keys: Type.Array(ApiKeySchema) });

export const NewApiKeySchema = Type.Object(
  { role: TenantRoleSchema, name: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
);
export type NewApiKey = Static<typeof NewApiKeySchema>;

export const KeyParamsSchema = Type.Object({ keyId: Type.String({ maxLength: 64 }) });

export const SettingsPatchSchema = Type.Object(
  { unknown_actions: UnknownActionsSchema },
  { additionalProperties: false },
);
