// The operator's master key: 32 random bytes in a file (base64), given to
// every PostgreSQL node (TRAILPROOF_MASTER_KEY_FILE), never stored in the
// database. It seals the tenants' signing and digest keys there.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { TrailproofError } from "@trailproof/core";

export const MASTER_KEY_BYTES = 32;

/** Reads a master key file; throws MASTER_KEY_INVALID naming the file and the fix. */
export function readMasterKey(path: string): Uint8Array {
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new TrailproofError(
      "MASTER_KEY_INVALID",
      `master key file ${path} does not exist: create one with \`trailproof master-key create ${path}\``,
    );
  }
  const key = new Uint8Array(Buffer.from(readFileSync(path, "utf8").trim(), "base64"));
  if (key.length !== MASTER_KEY_BYTES) {
    throw new TrailproofError(
      "MASTER_KEY_INVALID",
      `master key file ${path} does not hold ${MASTER_KEY_BYTES} bytes of base64: create one with \`trailproof master-key create FILE\``,
    );
  }
  return key;
}

/** Writes a new master key to `path` (mode 0600); refuses to replace an existing file. */
export function createMasterKey(path: string): void {
  if (existsSync(path)) {
    throw new TrailproofError("MASTER_KEY_EXISTS", `${path} exists: a master key is never overwritten`);
  }
  writeFileSync(path, `${randomBytes(MASTER_KEY_BYTES).toString("base64")}\n`, {
    mode: 0o600,
    flag: "wx",
    flush: true,
  });
}
