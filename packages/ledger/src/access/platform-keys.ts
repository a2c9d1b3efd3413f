// Platform keys: `tpp_<key id>_<secret>`, shaped and hashed as API keys are
// (api-keys.ts): one ingest credential of the platform operator that appends
// to many tenants (every one, or a named set), naming the tenant per request,
// and optionally creating a tenant it names on first use.

import { InvalidInputError } from "@trailproof/core";
import { isTenantName, TENANT_NAME_PATTERN } from "@trailproof/protocol";
import type { AccessStore, PlatformKeyRecord } from "../store/access-store.js";
import type { UnknownActionPolicy } from "../store/log-store.js";
import { checkKeyName, hashSecret, newKeyParts, secretMatches } from "./api-keys.js";

const PLATFORM_KEY_PATTERN = /^tpp_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface IssuedPlatformKey {
  /** The key itself: shown once, never stored. */
  key: string;
  record: PlatformKeyRecord;
}

export interface PlatformKeyOptions {
  name: string;
  /** "all", or 1-1000 tenant names (existing or, with createTenants, to be created). */
  tenants: "all" | readonly string[];
  createTenants?: boolean;
  /** The unknown-actions policy of the tenants the key creates; reject by default. */
  unknownActions?: UnknownActionPolicy;
  createdBy: string | null;
  now?: Date;
}

/** True for a string shaped like a platform key (it may still be unknown or wrong). */
export function isPlatformKey(presented: string): boolean {
  return presented.startsWith("tpp_");
}

export async function issuePlatformKey(access: AccessStore, options: PlatformKeyOptions): Promise<IssuedPlatformKey> {
  checkKeyName(options.name);
  const tenants = options.tenants === "all" ? "all" : [...new Set(options.tenants)].sort();
  if (tenants !== "all") {
    const problems = tenants.flatMap((t, i) =>
      isTenantName(t) ? [] : [{ pointer: `/tenants/${i}`, message: `must match ${TENANT_NAME_PATTERN}` }],
    );
    if (tenants.length === 0 || tenants.length > 1000) {
      problems.push({ pointer: "/tenants", message: 'must name 1-1000 tenants, or be "all"' });
    }
    if (problems.length > 0) {
      throw new InvalidInputError("REQUEST_INVALID", 'a platform key\'s tenants are tenant names or "all"', {
        problems,
      });
    }
  }
  const { keyId, secret } = newKeyParts();
  const record: PlatformKeyRecord = {
    keyId,
    name: options.name,
    secretHash: hashSecret(secret),
    tenants,
    createTenants: options.createTenants === true,
    unknownActions: options.unknownActions ?? "reject",
    createdAt: (options.now ?? new Date()).toISOString(),
    createdBy: options.createdBy,
    revokedAt: null,
  };
  await access.insertPlatformKey(record);
  return { key: `tpp_${keyId}_${secret}`, record };
}

/**
 * The active platform key record for a presented key, or undefined for
 * anything malformed, unknown, wrong or revoked. `presented` is untrusted.
 */
export async function authenticatePlatformKey(
  access: AccessStore,
  presented: string,
): Promise<PlatformKeyRecord | undefined> {
  const m = PLATFORM_KEY_PATTERN.exec(presented);
  if (!m) return undefined;
  const record = await access.findPlatformKey(m[1] as string);
  if (!record || record.revokedAt !== null) return undefined;
  return secretMatches(record.secretHash, m[2] as string) ? record : undefined;
}
