// Which tenant a request appends to. A tenant key appends to its own tenant:
// naming another is refused. A platform key (auth/principal.ts
// PlatformScope) appends to the tenant each request names, within its scope,
// and may create it on first use with its own log and signing key. Compat
// sources name tenants in their own words (a WorkOS organization_id such as
// `org_01HX...`, a Retraced project id): tenantNameFor maps those onto
// tenant names.
import { TrailproofError } from "@trailproof/core";
import type { Principal } from "../auth/principal.js";
import type { AppDeps } from "../deps.js";

const TENANT_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * The tenant name an external tenant id (untrusted) stands for: lower case,
 * with `_` and `.` as `-`, so `org_01HXYZ` is `org-01hxyz`; undefined when
 * that is still no tenant name (1-63 of a-z, 0-9 and -, starting with a
 * letter or digit). Documented in docs/compat.md.
 */
export function tenantNameFor(external: string): string | undefined {
  const name = external.toLowerCase().replace(/[_.]/g, "-");
  return TENANT_NAME.test(name) ? name : undefined;
}

/**
 * The tenant `principal` appends to when the request names `requested`
 * (an external id, or undefined when the request names none). Throws
 * TENANT_REQUIRED, TENANT_NAME_INVALID, TENANT_NOT_ALLOWED or
 * TENANT_NOT_FOUND; a platform key allowed to create tenants creates a
 * missing one.
 */
export async function chooseTenant(
  deps: AppDeps,
  principal: Principal,
  requested: string | undefined,
): Promise<string> {
  const name = requested === undefined ? undefined : tenantNameFor(requested);
  if (requested !== undefined && name === undefined) {
    throw new TrailproofError(
      "TENANT_NAME_INVALID",
      `${JSON.stringify(requested.slice(0, 80))} names no tenant: tenant names are 1-63 of a-z, 0-9 and - (with _ and . read as -)`,
    );
  }
  const platform = principal.platform;
  if (platform === undefined) {
    const own = principal.tenant;
    if (own === null) throw new TrailproofError("TENANT_NOT_ALLOWED", "this credential appends to no tenant");
    if (name !== undefined && name !== own) {
      throw new TrailproofError("TENANT_NOT_ALLOWED", `this key may append to tenant ${own} only, not ${name}`);
    }
    return own;
  }
  if (name === undefined) {
    throw new TrailproofError("TENANT_REQUIRED", "a platform key must name the tenant of each request");
  }
  if (platform.tenants !== "all" && !platform.tenants.includes(name)) {
    throw new TrailproofError("TENANT_NOT_ALLOWED", `this platform key may not append to tenant ${name}`);
  }
  if (await deps.ledger.getTenant(name)) return name;
  if (!platform.createTenants) throw new TrailproofError("TENANT_NOT_FOUND", `there is no tenant ${name}`);
  await createOnFirstUse(deps, principal, name);
  return name;
}

/** Filled in by the platform-key work: creates `name` for `principal`, racing requests included. */
async function createOnFirstUse(_deps: AppDeps, _principal: Principal, name: string): Promise<void> {
  throw new TrailproofError("TENANT_NOT_FOUND", `there is no tenant ${name}`);
}
