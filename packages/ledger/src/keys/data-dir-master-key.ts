// The master key of an embedded (SQLite) data directory: the operator's file
// (TRAILPROOF_MASTER_KEY_FILE) or, when none is given, <data>/master.key,
// created on first start. It wraps every subject's data key (issue 12);
// backups leave it out, so a backup alone holds only ciphertext.
import { closeSync, existsSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import { TrailproofError } from "@trailproof/core";
import { createMasterKey, readMasterKey } from "./master-key.js";

export const DATA_DIR_MASTER_KEY = "master.key";

/** The loud notice printed when a master key was generated into the data directory. */
export function generatedMasterKeyWarning(path: string): string {
  return [
    "",
    "!!! ================================================================ !!!",
    `!!! Trailproof generated a master key: ${path}`,
    "!!! It decrypts every personal value in this data directory.",
    "!!! Copy it off this machine NOW (a password manager, a vault, paper).",
    "!!! Backups (trailproof backup) deliberately leave it out: without it a",
    "!!! restored backup cannot show any personal value.",
    "!!! Better: keep it outside the data directory and pass",
    "!!! TRAILPROOF_MASTER_KEY_FILE; rotate with `trailproof master-key rotate`",
    "!!! (docs/runbooks/master-key-rotation.md).",
    "!!! ================================================================ !!!",
    "",
  ].join("\n");
}

/**
 * The data directory's master key: `file` if given, else <dataDir>/master.key,
 * created (mode 0600) if missing, in which case `onCreated` is told its path.
 */
export function dataDirMasterKey(dataDir: string, file?: string, onCreated?: (path: string) => void): Uint8Array {
  if (file !== undefined) return readMasterKey(file);
  const path = join(dataDir, DATA_DIR_MASTER_KEY);
  if (!existsSync(path)) {
    // A directory already sealed under a master key (layout 4 on) that lacks it is a restored
    // backup or a lost key: a new key would open nothing, so none is made.
    if (catalogueLayout(dataDir) >= 4) {
      throw new TrailproofError(
        "MASTER_KEY_INVALID",
        `${dataDir} holds personal values sealed under a master key, and ${path} is missing: copy the data directory's master key there (or pass TRAILPROOF_MASTER_KEY_FILE); see docs/runbooks/backup-restore.md`,
      );
    }
    createMasterKey(path);
    onCreated?.(path);
  }
  return readMasterKey(path);
}

/** The layout version stamped in <dataDir>/trailproof.db (SQLite's user_version, header bytes 60-63), 0 if none. */
function catalogueLayout(dataDir: string): number {
  const path = join(dataDir, "trailproof.db");
  if (!existsSync(path)) return 0;
  const header = Buffer.alloc(64);
  const fd = openSync(path, "r");
  try {
    if (readSync(fd, header, 0, 64, 0) < 64) return 0;
  } finally {
    closeSync(fd);
  }
  return header.readUInt32BE(60);
}
