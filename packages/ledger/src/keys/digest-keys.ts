// Idempotency digest keys (log format v2, core's content-digest.ts): one
// 32-byte secret per tenant, kept beside its signing key in the key vault
// (keys/<tenant>/digest-key, base64, mode 0600; sealed by the master key on
// PostgreSQL), so a copy of the database alone cannot test guesses of
// personal values against the stored digests. Back it up with keys/: without it, retries of events
// written under it are refused as different content, and verification cannot
// recompute their digests.
import { randomBytes } from "node:crypto";
import { DIGEST_KEY_BYTES, TrailproofError } from "@trailproof/core";
import type { KeyVault } from "./key-vault.js";

const DIGEST_KEY_ITEM = "digest-key";

export class DigestKeyStore {
  readonly #vault: KeyVault;
  /** A digest key never changes once created, so every node may cache it. */
  readonly #keys = new Map<string, Uint8Array>();

  constructor(vault: KeyVault) {
    this.#vault = vault;
  }

  /** The tenant's key, or undefined when it has none. Throws DIGEST_KEY_INVALID for a damaged item. */
  async find(tenant: string): Promise<Uint8Array | undefined> {
    const cached = this.#keys.get(tenant);
    if (cached) return cached;
    const stored = await this.#vault.read(tenant, DIGEST_KEY_ITEM);
    if (!stored) return undefined;
    const key = decode(tenant, stored);
    this.#keys.set(tenant, key);
    return key;
  }

  /**
   * Generates and stores a key for a tenant that has none (never replaces
   * one); when another node created one first, resolves to that one.
   */
  async create(tenant: string): Promise<Uint8Array> {
    if (await this.find(tenant)) {
      throw new TrailproofError("DIGEST_KEY_EXISTS", `tenant ${tenant} already has a digest key`);
    }
    const fresh = `${Buffer.from(randomBytes(DIGEST_KEY_BYTES)).toString("base64")}\n`;
    const stored = await this.#vault.create(tenant, DIGEST_KEY_ITEM, new Uint8Array(Buffer.from(fresh)), "secret");
    const key = decode(tenant, stored);
    this.#keys.set(tenant, key);
    return key;
  }
}

function decode(tenant: string, stored: Uint8Array): Uint8Array {
  const key = new Uint8Array(Buffer.from(Buffer.from(stored).toString("utf8").trim(), "base64"));
  if (key.length !== DIGEST_KEY_BYTES) {
    throw new TrailproofError(
      "DIGEST_KEY_INVALID",
      `the digest key of ${tenant} (keys/${tenant}/digest-key) does not hold ${DIGEST_KEY_BYTES} bytes of base64`,
    );
  }
  return key;
}
