// Pseudonym keys (core's privacy/pseudonym.ts): one 32-byte secret per
// tenant in the key vault (keys/<tenant>/pseudonym-key, base64, mode 0600;
// sealed by the master key on PostgreSQL), created on first use. Without it
// nobody can tell which id a pseudonym stands for, or test a guess; losing it
// changes every pseudonym the tenant shows from then on, nothing in the log.
import { randomBytes } from "node:crypto";
import { PSEUDONYM_KEY_BYTES, pseudonymOf, TrailproofError } from "@trailproof/core";
import { nodeHasher } from "../node-hasher.js";
import type { KeyVault } from "./key-vault.js";

const PSEUDONYM_KEY_ITEM = "pseudonym-key";

export class PseudonymKeyStore {
  readonly #vault: KeyVault;
  /** A pseudonym key never changes once created, so every node may cache it. */
  readonly #keys = new Map<string, Uint8Array>();

  constructor(vault: KeyVault) {
    this.#vault = vault;
  }

  /** The tenant's key, created (or, when another node won the race, read) on first use. */
  async keyOf(tenant: string): Promise<Uint8Array> {
    const cached = this.#keys.get(tenant);
    if (cached) return cached;
    let stored = await this.#vault.read(tenant, PSEUDONYM_KEY_ITEM);
    if (!stored) {
      const fresh = `${Buffer.from(randomBytes(PSEUDONYM_KEY_BYTES)).toString("base64")}\n`;
      stored = await this.#vault.create(tenant, PSEUDONYM_KEY_ITEM, new Uint8Array(Buffer.from(fresh)), "secret");
    }
    const key = decode(tenant, stored);
    this.#keys.set(tenant, key);
    return key;
  }

  /** The tenant's pseudonym of `id`. */
  async pseudonym(tenant: string, id: string): Promise<string> {
    return pseudonymOf(nodeHasher, await this.keyOf(tenant), id);
  }
}

function decode(tenant: string, stored: Uint8Array): Uint8Array {
  const key = new Uint8Array(Buffer.from(Buffer.from(stored).toString("utf8").trim(), "base64"));
  if (key.length !== PSEUDONYM_KEY_BYTES) {
    throw new TrailproofError(
      "PSEUDONYM_KEY_INVALID",
      `the pseudonym key of ${tenant} (keys/${tenant}/pseudonym-key) does not hold ${PSEUDONYM_KEY_BYTES} bytes of base64`,
    );
  }
  return key;
}
