// Idempotency digest keys (log format v2, core's content-digest.ts): one
// 32-byte secret per tenant, kept beside its signing key in
// keys/<tenant>/digest-key (base64, mode 0600), outside every database, so a
// copy of the database alone cannot test guesses of personal values against
// the stored digests. Back it up with keys/: without it, retries of events
// written under it are refused as different content, and verification cannot
// recompute their digests.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DIGEST_KEY_BYTES, TrailproofError } from "@trailproof/core";

const DIGEST_KEY_FILE = "digest-key";

export class DigestKeyStore {
  readonly #dir: string;
  readonly #keys = new Map<string, Uint8Array>();

  /** `dir` is the key directory (keys/), created with mode 0700 if missing. */
  constructor(dir: string) {
    this.#dir = dir;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  /** The tenant's key, or undefined when it has none. Throws DIGEST_KEY_INVALID for a damaged file. */
  find(tenant: string): Uint8Array | undefined {
    const cached = this.#keys.get(tenant);
    if (cached) return cached;
    const path = this.#path(tenant);
    if (!existsSync(path)) return undefined;
    const key = new Uint8Array(Buffer.from(readFileSync(path, "utf8").trim(), "base64"));
    if (key.length !== DIGEST_KEY_BYTES) {
      throw new TrailproofError("DIGEST_KEY_INVALID", `${path} does not hold ${DIGEST_KEY_BYTES} bytes of base64`);
    }
    this.#keys.set(tenant, key);
    return key;
  }

  /** Generates and stores a new key for a tenant that has none (never replaces one). */
  create(tenant: string): Uint8Array {
    if (this.find(tenant)) throw new TrailproofError("DIGEST_KEY_EXISTS", `tenant ${tenant} already has a digest key`);
    const dir = join(this.#dir, checkedName(tenant));
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const key = new Uint8Array(randomBytes(DIGEST_KEY_BYTES));
    const path = this.#path(tenant);
    const tmp = `${path}.tmp`;
    writeFileSync(tmp, `${Buffer.from(key).toString("base64")}\n`, { mode: 0o600, flush: true });
    chmodSync(tmp, 0o600);
    renameSync(tmp, path);
    this.#keys.set(tenant, key);
    return key;
  }

  #path(tenant: string): string {
    return join(this.#dir, checkedName(tenant), DIGEST_KEY_FILE);
  }
}

function checkedName(tenant: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(tenant)) throw new TrailproofError("TENANT_NAME_INVALID", "bad tenant name");
  return tenant;
}
