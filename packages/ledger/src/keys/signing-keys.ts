// Checkpoint signing keys, one Ed25519 key per tenant log, kept in files
// outside the database (mode 0600) so that a copy of the database alone can
// neither sign nor swap the key a verifier trusts. Rotation retires the old
// private key and keeps its verifier key, so old checkpoints still verify.
import { createPrivateKey, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  computeKeyHash,
  encodeVerifierKey,
  type Hasher,
  type NoteSigner,
  parseVerifierKey,
  TrailproofError,
} from "@trailproof/core";

export interface VerifierKeyRecord {
  verifier_key: string;
  created_at: string;
  /** When the key stopped signing; null for the active key. */
  retired_at: string | null;
}

export interface TenantSigner extends NoteSigner {
  readonly verifierKey: string;
}

const PRIVATE_KEY_FILE = "signing-key.pem";
const VERIFIERS_FILE = "verifiers.json";

export class SigningKeyStore {
  readonly #dir: string;
  readonly #hasher: Hasher;
  readonly #signers = new Map<string, TenantSigner>();

  /** `dir` is created with mode 0700 if missing. */
  constructor(dir: string, hasher: Hasher) {
    this.#dir = dir;
    this.#hasher = hasher;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  /** The tenant's active signer, generating its key on first use. `keyName` is the log origin. */
  signer(tenant: string, keyName: string): TenantSigner {
    const cached = this.#signers.get(tenant);
    if (cached) return cached;
    const path = join(this.#tenantDir(tenant), PRIVATE_KEY_FILE);
    const signer = existsSync(path)
      ? this.#load(keyName, createPrivateKey(readFileSync(path)))
      : this.#generate(tenant, keyName);
    // A crash between writing the key and listing it would leave checkpoints
    // no verifier trusts: make sure the active key is always listed.
    const records = this.verifiers(tenant);
    if (!records.some((r) => r.verifier_key === signer.verifierKey)) {
      records.push({ verifier_key: signer.verifierKey, created_at: new Date().toISOString(), retired_at: null });
      this.#writeVerifiers(tenant, records);
    }
    this.#signers.set(tenant, signer);
    return signer;
  }

  /** Every verifier key the tenant's log has used, active last. Empty before the first signature. */
  verifiers(tenant: string): VerifierKeyRecord[] {
    const path = join(this.#tenantDir(tenant), VERIFIERS_FILE);
    if (!existsSync(path)) return [];
    const records = JSON.parse(readFileSync(path, "utf8")) as VerifierKeyRecord[];
    for (const r of records) parseVerifierKey(this.#hasher, r.verifier_key);
    return records;
  }

  /** Retires the active key (its private half is deleted) and generates a new one. */
  rotate(tenant: string, keyName: string): TenantSigner {
    const now = new Date().toISOString();
    const records = this.verifiers(tenant).map((r) => (r.retired_at === null ? { ...r, retired_at: now } : r));
    this.#writeVerifiers(tenant, records);
    rmSync(join(this.#tenantDir(tenant), PRIVATE_KEY_FILE), { force: true });
    this.#signers.delete(tenant);
    const signer = this.#generate(tenant, keyName);
    this.#signers.set(tenant, signer);
    return signer;
  }

  #tenantDir(tenant: string): string {
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(tenant)) throw new TrailproofError("TENANT_NAME_INVALID", "bad tenant name");
    return join(this.#dir, tenant);
  }

  #generate(tenant: string, keyName: string): TenantSigner {
    const dir = this.#tenantDir(tenant);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync("ed25519");
    const pem = privateKey.export({ format: "pem", type: "pkcs8" }) as string;
    writeFileAtomic(join(dir, PRIVATE_KEY_FILE), pem, 0o600);
    const signer = this.#load(keyName, privateKey);
    const records = this.verifiers(tenant);
    records.push({ verifier_key: signer.verifierKey, created_at: new Date().toISOString(), retired_at: null });
    this.#writeVerifiers(tenant, records);
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

  #writeVerifiers(tenant: string, records: VerifierKeyRecord[]): void {
    writeFileAtomic(join(this.#tenantDir(tenant), VERIFIERS_FILE), `${JSON.stringify(records, null, 2)}\n`, 0o644);
  }
}

function writeFileAtomic(path: string, content: string, mode: number): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, content, { mode, flush: true });
  chmodSync(tmp, mode);
  renameSync(tmp, path);
}
