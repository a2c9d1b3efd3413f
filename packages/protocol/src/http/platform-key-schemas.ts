// Platform keys (/v1/platform-keys, operator credential): one ingest key that
// appends to many tenants, every one or a named set, naming the tenant per
// request; optionally creating a tenant it names on first use.
import { type Static, Type } from "typebox";
import { UnknownActionsSchema } from "./admin-schemas.js";
import { TENANT_NAME } from "./tenant-schemas.js";

const PlatformTenantsSchema = Type.Union(
  [Type.Literal("all"), Type.Array(Type.String(TENANT_NAME), { minItems: 1, maxItems: 1000 })],
  { description: '"all", or the names of the tenants the key may append to' },
);

export const NewPlatformKeySchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 128 }),
    tenants: PlatformTenantsSchema,
    create_tenants: Type.Optional(
      Type.Boolean({
        description:
          "create a tenant the key names (within its tenants) that does not exist yet, with its own log and signing key; false by default",
      }),
    ),
    /** The unknown-actions policy of the tenants it creates; reject by default. */
    unknown_actions: Type.Optional(UnknownActionsSchema),
  },
  { additionalProperties: false },
);
export type NewPlatformKey = Static<typeof NewPlatformKeySchema>;

export const PlatformKeySchema = Type.Object({
  key_id: Type.String(),
  name: Type.String(),
  tenants: PlatformTenantsSchema,
  create_tenants: Type.Boolean(),
  unknown_actions: UnknownActionsSchema,
  created_at: Type.String(),
  created_by: Type.Union([Type.String(), Type.Null()]),
  revoked_at: Type.Union([Type.String(), Type.Null()]),
});
export type PlatformKey = Static<typeof PlatformKeySchema>;

export const CreatedPlatformKeySchema = Type.Intersect([
  PlatformKeySchema,
  Type.Object({ key: Type.String({ description: "`tpp_...`, shown once; only its hash is stored" }) }),
]);

export const PlatformKeyListSchema = Type.Object({ keys: Type.Array(PlatformKeySchema) });
