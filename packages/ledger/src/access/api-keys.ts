// API keys: `tpk_<key id>_<secret>`, 16 hex digits of id and 32 random bytes
// of secret (base64url). Only SHA-256 of the secret is stored: the secret has
// 256 bits of entropy, so a slow password hash would add cost, not safety.
// Lookups go by id and compare hashes in constant time, so a wrong key
// reveals nothing about right ones.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { InvalidInputError } from "@trailproof/core";
import type { Role } from "@trailproof/protocol";
import type { AccessStore, ApiKeyRecord } from "../store/access-store.js";

const KEY_PATTERN = /^tpk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface IssuedKey {
  /** The key itself: shown once, never stored. */
  key: string;
  record: ApiKeyRecord;
}

/** Hex SHA-256 of a key's secret part: what the stores keep. Shared by every key kind (platform-keys.ts). */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** A fresh key id (16 hex digits) and secret (32 random bytes, base64url). */
export function newKeyParts(): { keyId: string; secret: string } {
  return { keyId: randomBytes(8).toString("hex"), secret: randomBytes(32).toString("base64url") };
}

/** True when `secret` (untrusted) hashes to `secretHash`, compared in constant time. */
export function secretMatches(secretHash: string, secret: string): boolean {
  const expected = Buffer.from(secretHash, "hex");
  const actual = Buffer.from(hashSecret(secret), "hex");
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Key names are labels: 1-128 characters. */
export function checkKeyName(name: string): void {
  if (name.length === 0 || name.length > 128) {
    throw new InvalidInputError("KEY_NAME_INVALID", "key names are 1-128 characters", {
      problems: [{ pointer: "/name", message: "must be 1-128 characters" }],
    });
  }
}

export async function issueApiKey(
  access: AccessStore,
  options: { tenantId: number | null; role: Role; name: string; createdBy: string | null; now?: Date },
): Promise<IssuedKey> {
  checkKeyName(options.name);
  const { keyId, secret } = newKeyParts();
  const record: ApiKeyRecord = {
    keyId,
    tenantId: options.tenantId,
    role: options.role,
    name: options.name,
    secretHash: hashSecret(secret),
    createdAt: (options.now ?? new Date()).toISOString(),
    createdBy: options.createdBy,
    revokedAt: null,
  };
  await access.insertApiKey(record);
  return { key: `tpk_${keyId}_${secret}`, record };
}

/**
 * The active key record for a presented key, or undefined for anything
 * malformed, unknown, wrong or revoked. `presented` is untrusted.
 */
export async function authenticateApiKey(access: AccessStore, presented: string): Promise<ApiKeyRecord | undefined> {
  const m = KEY_PATTERN.exec(presented);
  if (!m) return undefined;
  const record = await access.findApiKey(m[1] as string);
  if (!record || record.revokedAt !== null) return undefined;
  return secretMatches(record.secretHash, m[2] as string) ? record : undefined;
}
