// Which tenant a request appends to. A tenant key appends to its own tenant:
// naming another is refused. A platform key (auth/principal.ts
// PlatformScope) appends to the tenant each request names, within its scope,
// and may create it on first use with its own log and signing key. Compat
// sources name tenants in their own words (a WorkOS organization_id such as
// `org_01HX...`, a Retraced project id): tenantNameFor maps those onto
// tenant names; POST /v1/events takes the name in X-Trailproof-Tenant, the
// compat endpoints whose payloads may name none also in X-Tenant.

import type { IncomingHttpHeaders } from "node:http";
import { hasErrorCode, TrailproofError } from "@trailproof/core";
import { isTenantName } from "@trailproof/protocol";
import { appenderOf, type Principal } from "../auth/principal.js";
import type { AppDeps } from "../deps.js";

/** The header that names the tenant of a request (POST /v1/events and every compat endpoint). */
export const TENANT_HEADER = "x-trailproof-tenant";
/**
 * Another name compat endpoints accept for it, read after TENANT_HEADER:
 * collectors and proxies in front of OTLP exporters, CloudEvents senders, OPA
 * and kube-apiserver are often configured with X-Tenant (docs/compat.md).
 */
export const TENANT_HEADER_ALIAS = "x-tenant";

/**
 * The tenant a request names in a header (untrusted): X-Trailproof-Tenant,
 * else X-Tenant, trimmed; undefined when neither names one. chooseTenant
 * decides whether the credential may append there.
 */
export function tenantFromHeaders(headers: IncomingHttpHeaders): string | undefined {
  for (const name of [TENANT_HEADER, TENANT_HEADER_ALIAS]) {
    const value = headers[name];
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first.trim() !== "") return first.trim();
  }
  return undefined;
}

/**
 * The tenant name an external tenant id (untrusted) stands for: lower case,
 * with `_` and `.` as `-`, so `org_01HXYZ` is `org-01hxyz`; undefined when
 * that is still no tenant name (1-63 of a-z, 0-9 and -, starting with a
 * letter or digit). Documented in docs/compat.md.
 */
export function tenantNameFor(external: string): string | undefined {
  const name = external.toLowerCase().replace(/[_.]/g, "-");
  return isTenantName(name) ? name : undefined;
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
  if (await deps.ledger.hasTenant(name)) return name;
  if (!platform.createTenants) throw new TrailproofError("TENANT_NOT_FOUND", `there is no tenant ${name}`);
  await createOnFirstUse(deps, principal, name);
  return name;
}

/**
 * The tenant a platform key's request names in a header (tenantFromHeaders,
 * untrusted) when it is within the key's scope; undefined for any other
 * caller or header. Read before the body, by admission control and rate
 * limiting; what the request appends to is still decided by chooseTenant.
 */
export function platformTenantHint(principal: Principal | undefined, headers: IncomingHttpHeaders): string | undefined {
  const platform = principal?.platform;
  const header = tenantFromHeaders(headers);
  if (platform === undefined || header === undefined) return undefined;
  const name = tenantNameFor(header);
  if (name === undefined || (platform.tenants !== "all" && !platform.tenants.includes(name))) return undefined;
  return name;
}

/** Creations under way on this node, by tenant name: racing requests wait for the one that creates. */
const creating = new WeakMap<AppDeps, Map<string, Promise<void>>>();

/**
 * Creates `name` for the platform key `principal` (on this node once, however
 * many requests race for it) and records in the new tenant's log that the key
 * created it. Another node creating it first (TENANT_EXISTS) is success: the
 * tenant exists, and that node's record says which key created it.
 */
async function createOnFirstUse(deps: AppDeps, principal: Principal, name: string): Promise<void> {
  let pending = creating.get(deps);
  if (pending === undefined) {
    pending = new Map();
    creating.set(deps, pending);
  }
  const under = pending;
  let run = under.get(name);
  if (run === undefined) {
    run = createTenantFor(deps, principal, name).finally(() => under.delete(name));
    under.set(name, run);
  }
  await run;
}

/**
 * A tenant made this way has its own log, origin and signing key, the key's
 * unknown-actions policy, and no admin key: the operator issues a recovery
 * admin key (POST /v1/tenants/{tenant}/keys) when someone is to read it.
 */
async function createTenantFor(deps: AppDeps, principal: Principal, name: string): Promise<void> {
  // Read again, not taken from the request: the key may have been revoked since it authenticated.
  const key = await deps.access.findPlatformKey(principal.id);
  if (key === undefined || key.revokedAt !== null || !key.createTenants) {
    throw new TrailproofError("TENANT_NOT_FOUND", `there is no tenant ${name}`);
  }
  try {
    await deps.ledger.createTenant(name, { unknownActions: key.unknownActions });
  } catch (err) {
    if (hasErrorCode(err, "TENANT_EXISTS")) return;
    throw err;
  }
  const [recorded] = await deps.ledger.append(
    name,
    [
      {
        action: "tenant.create",
        occurred_at: new Date().toISOString(),
        actor: principal.actor,
        target: { type: "tenant", id: name },
        metadata: { platform_key: key.keyId, platform_key_name: key.name, unknown_actions: key.unknownActions },
      },
    ],
    { appendedBy: appenderOf(principal), serviceRecord: true },
  );
  if (recorded?.status !== "created") {
    throw new TrailproofError("META_AUDIT_FAILED", `could not record the creation of tenant ${name}`);
  }
}
