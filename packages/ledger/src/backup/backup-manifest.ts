// manifest.json of a data directory's backup archive (docs/runbooks/backup-restore.md):
// what the copy holds, each tenant's latest signed checkpoint in it, and the
// SHA-256 of every other file, so a restore can name the first file that changed.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { TrailproofError } from "@trailproof/core";

export const MANIFEST_NAME = "manifest.json";
export const BACKUP_FORMAT_VERSION = 1;

export interface BackupTenant {
  name: string;
  origin: string;
  /** Size and root (base64) of the latest signed checkpoint in the copy; 0 and "" when it has none yet. */
  treeSize: number;
  rootHash: string;
  /** That checkpoint's signed note (C2SP signed-note), or "" when the tenant has none yet. */
  checkpoint: string;
}

export interface BackupManifest {
  formatVersion: number;
  createdAt: string;
  tenants: BackupTenant[];
  /** Archive path (forward slashes) -> SHA-256 hex, for every file but the manifest itself. */
  files: Record<string, string>;
}

/** SHA-256 of a file, streamed: tenant files may be many GiB. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** `text` as a manifest; untrusted (it comes from the archive), so every field is checked. */
export function parseManifest(text: string): BackupManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw corrupt("its manifest.json is not JSON");
  }
  const m = value as Partial<BackupManifest> | null;
  if (m === null || typeof m !== "object") throw corrupt("its manifest.json is not an object");
  if (m.formatVersion !== BACKUP_FORMAT_VERSION) {
    throw corrupt(
      `its manifest.json has format version ${JSON.stringify(m.formatVersion)}; this build reads ${BACKUP_FORMAT_VERSION}`,
    );
  }
  if (typeof m.createdAt !== "string") throw corrupt("its manifest.json has no createdAt");
  if (!Array.isArray(m.tenants) || !m.tenants.every(isTenant)) throw corrupt("its manifest.json has malformed tenants");
  const files = m.files;
  if (
    files === null ||
    typeof files !== "object" ||
    !Object.values(files).every((h) => typeof h === "string" && /^[0-9a-f]{64}$/.test(h))
  ) {
    throw corrupt("its manifest.json has malformed file hashes");
  }
  return m as BackupManifest;
}

function isTenant(t: unknown): t is BackupTenant {
  const v = t as Partial<BackupTenant> | null;
  return (
    v !== null &&
    typeof v === "object" &&
    typeof v.name === "string" &&
    typeof v.origin === "string" &&
    Number.isSafeInteger(v.treeSize) &&
    typeof v.rootHash === "string" &&
    typeof v.checkpoint === "string"
  );
}

export function corrupt(why: string): TrailproofError {
  return new TrailproofError("BACKUP_CORRUPT", `the backup is refused: ${why}`);
}
