// Roles of API keys and people, least privilege first. Tenant roles form a
// ladder for reads (viewer < auditor < admin); `ingest` may only append and
// `operator` is a platform credential that manages tenants and reads no
// tenant's events.

export const TENANT_ROLES = ["ingest", "viewer", "auditor", "admin"] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];
export type Role = TenantRole | "operator";

/** What a route needs. `append` is granted to ingest keys only. */
export type Permission = "append" | "read" | "read_personal" | "prove" | "export" | "verify" | "administer" | "operate";

const GRANTS: Record<Role, readonly Permission[]> = {
  ingest: ["append"],
  viewer: ["read"],
  auditor: ["read", "read_personal", "prove", "export", "verify"],
  admin: ["read", "read_personal", "prove", "export", "verify", "administer"],
  operator: ["operate"],
};

export function isTenantRole(value: unknown): value is TenantRole {
  return typeof value === "string" && (TENANT_ROLES as readonly string[]).includes(value);
}

export function roleAllows(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}
