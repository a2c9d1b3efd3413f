// Platform operation (/v1/tenants, operator credential): create and list
// tenants, and issue a recovery admin key.
import { type Static, Type } from "typebox";
import { UnknownActionsSchema } from "./admin-schemas.js";

/** What a tenant name is: it becomes a log origin, a file name and a key path. */
export const TENANT_NAME_PATTERN = "^[a-z0-9][a-z0-9-]{0,62}$";
const TENANT_NAME_REGEX = new RegExp(TENANT_NAME_PATTERN);

/** True when `value` is a tenant name (1-63 of a-z, 0-9 and -, starting with a letter or digit). */
export function isTenantName(value: string): boolean {
  return TENANT_NAME_REGEX.test(value);
}

/** A tenant name in a wire schema. */
export const TENANT_NAME = { pattern: TENANT_NAME_PATTERN, description: "1-63 of a-z, 0-9 and -" };

export const NewTenantSchema = Type.Object(
  {
    name: Type.String(TENANT_NAME),
    unknown_actions: Type.Optional(UnknownActionsSchema),
    second_approver: Type.Optional(
      Type.Object(
        { name: Type.String({ minLength: 1, maxLength: 100 }) },
        {
          additionalProperties: false,
          description:
            "a second admin key for a different person, who approves the first admin's changes under dual control",
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type NewTenant = Static<typeof NewTenantSchema>;

export const CreatedTenantSchema = Type.Object({
  tenant: Type.String(),
  origin: Type.String(),
  admin_key: Type.String({ description: "shown once; only its hash is stored" }),
  second_admin_key: Type.Optional(
    Type.String({ description: "the second approver's admin key, when one was named; shown once" }),
  ),
});

export const TenantParamsSchema = Type.Object({ tenant: Type.String(TENANT_NAME) });

export const RecoveryKeyBodySchema = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })) },
  { additionalProperties: false },
);

export const TenantListSchema = Type.Object({
  tenants: Type.Array(
    Type.Object({
      tenant: Type.String(),
      origin: Type.String(),
      created_at: Type.String(),
      tree_size: Type.Integer(),
    }),
  ),
});
