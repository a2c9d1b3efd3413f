// Per-subject data keys (issue 12): 32 random bytes per subject and tenant,
// wrapped with AES-256-GCM by the operator's master key (the AAD binds the
// tenant and the subject's pseudonym, so a wrapped key copied to another
// subject or tenant does not unwrap), stored in the tenant's subject_keys.
// Destroying the wrapped key is the erasure: the sealed values become noise.
// Unwrapped keys are cached (bounded LRU) so ingest does not unwrap per
// event; reads check the stored row every time, so a subject erased by
// another node is never served from a stale cache.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { TrailproofError, utf8 } from "@trailproof/core";
import type { NewSubjectKey, SubjectKeyRow } from "../store/log-store.js";

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const SUBJECT_KEY_BYTES = 32;
const DOMAIN = "trailproof subject key v1\n";

function aadOf(tenant: string, subject: string): Buffer {
  return Buffer.from(utf8(`${DOMAIN}${tenant}\n${subject}`));
}

/** nonce || AES-256-GCM(masterKey, dataKey) || tag. */
export function wrapSubjectKey(
  masterKey: Uint8Array,
  tenant: string,
  subject: string,
  dataKey: Uint8Array,
): Uint8Array {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", masterKey, nonce);
  cipher.setAAD(aadOf(tenant, subject));
  const out = Buffer.concat([nonce, cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Unwraps; throws MASTER_KEY_MISMATCH where the master key (or the tenant, or the subject) is not the one it was wrapped for. */
export function unwrapSubjectKey(
  masterKey: Uint8Array,
  tenant: string,
  subject: string,
  wrapped: Uint8Array,
): Uint8Array {
  try {
    const decipher = createDecipheriv("aes-256-gcm", masterKey, wrapped.subarray(0, NONCE_BYTES));
    decipher.setAAD(aadOf(tenant, subject));
    decipher.setAuthTag(wrapped.subarray(wrapped.length - TAG_BYTES));
    const key = Buffer.concat([
      decipher.update(wrapped.subarray(NONCE_BYTES, wrapped.length - TAG_BYTES)),
      decipher.final(),
    ]);
    if (key.length !== SUBJECT_KEY_BYTES) throw new Error("wrong length");
    return new Uint8Array(key);
  } catch (cause) {
    throw new TrailproofError(
      "MASTER_KEY_MISMATCH",
      `the data key of subject ${subject} in tenant ${tenant} does not unwrap with this master key: start with the master key the data was written with`,
      { cause },
    );
  }
}

/** Unwrapped keys kept at most, across tenants (32 bytes each, plus the map's overhead). */
export const DEFAULT_SUBJECT_KEY_CACHE = 50_000;

/** A small LRU of unwrapped data keys, by tenant and subject pseudonym. */
export class SubjectKeyCache {
  readonly #max: number;
  readonly #keys = new Map<string, Uint8Array>();

  constructor(max = DEFAULT_SUBJECT_KEY_CACHE) {
    this.#max = max;
  }

  get(tenantId: number, subject: string): Uint8Array | undefined {
    const k = `${tenantId}:${subject}`;
    const key = this.#keys.get(k);
    if (key !== undefined) {
      this.#keys.delete(k);
      this.#keys.set(k, key);
    }
    return key;
  }

  set(tenantId: number, subject: string, key: Uint8Array): void {
    const k = `${tenantId}:${subject}`;
    this.#keys.delete(k);
    this.#keys.set(k, key);
    if (this.#keys.size > this.#max) this.#keys.delete(this.#keys.keys().next().value as string);
  }

  delete(tenantId: number, subject: string): void {
    this.#keys.delete(`${tenantId}:${subject}`);
  }

  clear(): void {
    this.#keys.clear();
  }
}

/**
 * The data keys a batch needs, from the cache, the stored rows, or fresh
 * (returned in `created`, to be written in the batch's own transaction and
 * cached only once that commits). A subject whose key is erased maps to
 * undefined: its new values are written already erased.
 */
export async function dataKeysFor(
  read: (subjects: readonly string[]) => Promise<Map<string, SubjectKeyRow>>,
  cache: SubjectKeyCache,
  masterKey: Uint8Array,
  tenantId: number,
  tenant: string,
  subjects: Iterable<string>,
  nowMs: number,
): Promise<{ keys: Map<string, Uint8Array | undefined>; created: NewSubjectKey[]; fresh: Map<string, Uint8Array> }> {
  const keys = new Map<string, Uint8Array | undefined>();
  const missing: string[] = [];
  for (const s of subjects) {
    if (keys.has(s)) continue;
    const cached = cache.get(tenantId, s);
    if (cached) keys.set(s, cached);
    else {
      keys.set(s, undefined);
      missing.push(s);
    }
  }
  const created: NewSubjectKey[] = [];
  const fresh = new Map<string, Uint8Array>();
  if (missing.length === 0) return { keys, created, fresh };
  const rows = await read(missing);
  for (const s of missing) {
    const row = rows.get(s);
    if (row === undefined) {
      const key = new Uint8Array(randomBytes(SUBJECT_KEY_BYTES));
      created.push({ subject: s, wrappedKey: wrapSubjectKey(masterKey, tenant, s, key), createdMs: nowMs });
      fresh.set(s, key);
      keys.set(s, key);
    } else if (row.wrappedKey !== null) {
      const key = unwrapSubjectKey(masterKey, tenant, s, row.wrappedKey);
      cache.set(tenantId, s, key);
      keys.set(s, key);
    }
  }
  return { keys, created, fresh };
}
