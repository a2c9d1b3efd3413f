// Roles of API keys and people, least privilege first. Tenant roles form a
// ladder for reads (viewer < auditor < admin); `ingest` may only append and
// `operator` is a platform credential that manages tenants and reads no
// tenant's events.

export const TENANT_ROLES = ["ingest", "viewer", "auditor", "admin"] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];
export type Role = TenantRole | "operator";
/** The roles a person (a console account) may hold: the read ladder, least first. */
export const PERSON_ROLES = ["viewer", "auditor", "admin"] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

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

export function isPersonRole(value: unknown): value is PersonRole {
  return typeof value === "string" && (PERSON_ROLES as readonly string[]).includes(value);
}

/** True when `role` is `minimum` or above it on the read ladder (viewer < auditor < admin). */
export function roleAtLeast(role: PersonRole, minimum: PersonRole): boolean {
  return PERSON_ROLES.indexOf(role) >= PERSON_ROLES.indexOf(minimum);
}
