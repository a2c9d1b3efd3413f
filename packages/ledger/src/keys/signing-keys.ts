// Checkpoint signing keys, one Ed25519 key per tenant log, kept in a key
// vault: files outside the database (mode 0600) for the embedded store, or
// rows sealed with the operator's master key on PostgreSQL, so that a copy of
// the database alone can neither sign nor swap the key a verifier trusts.
// Rotation retires the old private key and keeps its verifier key, so old
// checkpoints still verify.
import { createPrivateKey, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { computeKeyHash, encodeVerifierKey, type Hasher, type NoteSigner, parseVerifierKey } from "@trailproof/core";
import type { KeyVault } from "./key-vault.js";

export interface VerifierKeyRecord {
  verifier_key: string;
  created_at: string;
  /** When the key stopped signing; null for the active key. */
  retired_at: string | null;
}

export interface TenantSigner extends NoteSigner {
  readonly verifierKey: string;
}

const PRIVATE_KEY_ITEM = "signing-key.pem";
const VERIFIERS_ITEM = "verifiers.json";

export class SigningKeyStore {
  readonly #vault: KeyVault;
  readonly #hasher: Hasher;

  constructor(vault: KeyVault, hasher: Hasher) {
    this.#vault = vault;
    this.#hasher = hasher;
  }

  /**
   * The tenant's active signer, generating its key on first use. `keyName`
   * is the log origin. Read from the vault each time (a few microseconds
   * from a file, one query on PostgreSQL, once per checkpoint): another node
   * may have rotated the key.
   */
  async signer(tenant: string, keyName: string): Promise<TenantSigner> {
    const stored = await this.#vault.read(tenant, PRIVATE_KEY_ITEM);
    const signer = stored
      ? this.#load(keyName, createPrivateKey(Buffer.from(stored)))
      : await this.#generate(tenant, keyName);
    // A crash between writing the key and listing it would leave checkpoints
    // no verifier trusts: make sure the active key is always listed.
    const records = await this.verifiers(tenant);
    if (!records.some((r) => r.verifier_key === signer.verifierKey)) {
      records.push({ verifier_key: signer.verifierKey, created_at: new Date().toISOString(), retired_at: null });
      await this.#writeVerifiers(tenant, records);
    }
    return signer;
  }

  /** Every verifier key the tenant's log has used, active last. Empty before the first signature. */
  async verifiers(tenant: string): Promise<VerifierKeyRecord[]> {
    const stored = await this.#vault.read(tenant, VERIFIERS_ITEM);
    if (!stored) return [];
    const records = JSON.parse(Buffer.from(stored).toString("utf8")) as VerifierKeyRecord[];
    for (const r of records) parseVerifierKey(this.#hasher, r.verifier_key);
    return records;
  }

  /** Retires the active key (its private half is deleted) and generates a new one. */
  async rotate(tenant: string, keyName: string): Promise<TenantSigner> {
    const now = new Date().toISOString();
    const records = (await this.verifiers(tenant)).map((r) => (r.retired_at === null ? { ...r, retired_at: now } : r));
    await this.#writeVerifiers(tenant, records);
    await this.#vault.remove(tenant, PRIVATE_KEY_ITEM);
    return this.#generate(tenant, keyName);
  }

  async #generate(tenant: string, keyName: string): Promise<TenantSigner> {
    const { privateKey } = generateKeyPairSync("ed25519");
    const pem = new Uint8Array(Buffer.from(privateKey.export({ format: "pem", type: "pkcs8" }) as string));
    // Another node may generate at the same moment: the first key stored wins.
    const stored = await this.#vault.create(tenant, PRIVATE_KEY_ITEM, pem, "secret");
    const signer = this.#load(keyName, createPrivateKey(Buffer.from(stored)));
    const records = await this.verifiers(tenant);
    if (!records.some((r) => r.verifier_key === signer.verifierKey)) {
      records.push({ verifier_key: signer.verifierKey, created_at: new Date().toISOString(), retired_at: null });
      await this.#writeVerifiers(tenant, records);
    }
    return signer;
  }

  #load(keyName: string, privateKey: KeyObject): TenantSigner {
    const jwk = privateKey.export({ format: "jwk" });
    const publicKey = new Uint8Array(Buffer.from(jwk.x as string, "base64url"));
    return {
      name: keyName,
      keyHash: computeKeyHash(this.#hasher, keyName, publicKey),
      verifierKey: encodeVerifierKey(this.#hasher, keyName, publicKey),
      sign: (message) => sign(null, message, privateKey),
    };
  }

  #writeVerifiers(tenant: string, records: VerifierKeyRecord[]): Promise<void> {
    const text = `${JSON.stringify(records, null, 2)}\n`;
    return this.#vault.write(tenant, VERIFIERS_ITEM, new Uint8Array(Buffer.from(text)), "public");
  }
}
