// The person's role decides what the console shows; the server enforces the
// same ladder (viewer < auditor < admin), so hiding is convenience, not defence.
import type { Role } from "../api/types.js";

const RANK: Record<Role, number> = { viewer: 0, auditor: 1, admin: 2 };

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

export function isRole(value: unknown): value is Role {
  return value === "viewer" || value === "auditor" || value === "admin";
}
