// `trailproof backup`: a consistent copy of a live data directory in one tar
// archive (docs/runbooks/backup-restore.md). Each SQLite file is copied with
// SQLite's online backup API, which reads one snapshot while the service goes
// on writing; a tenant's whole history is one file, so each copy is a log
// that verifies on its own. This module loads the driver itself because the
// backup API is below the store contract (open-sqlite-store.ts is the other).
import {
  closeSync,
  cpSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { parseCheckpointBody, parseNote, TrailproofError } from "@trailproof/core";
import Database from "better-sqlite3";
import { create } from "tar";
import { openSqliteStores } from "../store/sqlite/open-sqlite-store.js";
import {
  BACKUP_FORMAT_VERSION,
  type BackupManifest,
  type BackupTenant,
  MANIFEST_NAME,
  sha256File,
} from "./backup-manifest.js";
import { listFiles } from "./list-files.js";

/** The published-checkpoint record (checkpoint/published-record.ts); see the order in backupDataDir. */
const PUBLISHED_ITEM = "published-checkpoint";

export interface BackupResult {
  out: string;
  manifest: BackupManifest;
  bytes: number;
}

/**
 * Writes a backup of `dataDir` to `out`. Requires `out` not to exist: it is
 * never overwritten, and it appears only whole (written aside, fsynced, then
 * linked into place).
 */
export async function backupDataDir(
  dataDir: string,
  out: string,
  now: () => Date = () => new Date(),
): Promise<BackupResult> {
  if (statSync(out, { throwIfNoEntry: false }) !== undefined) throw outExists(out);
  const staging = mkdtempSync(join(dirname(out), `.${basename(out)}.staging-`));
  const partial = `${out}.partial-${process.pid}`;
  try {
    await copyDataDir(dataDir, staging);
    const manifest: BackupManifest = {
      formatVersion: BACKUP_FORMAT_VERSION,
      createdAt: now().toISOString(),
      tenants: await latestCheckpoints(staging),
      files: {},
    };
    const paths = listFiles(staging);
    for (const path of paths) manifest.files[path] = await sha256File(join(staging, ...path.split("/")));
    // Not fsynced itself: the archive that holds it is.
    writeFileSync(join(staging, MANIFEST_NAME), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    // Created first with mode 0600: the archive holds the signing keys. Not
    // compressed, so damage stays inside one file, which restore then names.
    closeSync(openSync(partial, "wx", 0o600));
    await create({ portable: true, cwd: staging, file: partial }, [MANIFEST_NAME, ...paths]);
    const fd = openSync(partial, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      // link, not rename: rename would replace a file that appeared meanwhile.
      linkSync(partial, out);
    } catch (err) {
      if ((err as { code?: unknown }).code === "EEXIST") throw outExists(out);
      throw err;
    }
    fsyncPath(dirname(out));
    return { out, manifest, bytes: statSync(out).size };
  } finally {
    rmSync(partial, { force: true });
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * The order makes the copies agree while the service writes: the catalogue
 * first (every tenant in it already has its keys and file); the keys next, so
 * each tenant's published-checkpoint record is no newer than its log copied
 * after it (a newer one would make the restored service refuse to start);
 * then the keys once more, all but that record, so verifier keys added by a
 * rotation during the copy are there for the checkpoints they signed.
 */
async function copyDataDir(dataDir: string, staging: string): Promise<void> {
  await backupSqliteFile(join(dataDir, "trailproof.db"), join(staging, "trailproof.db"));
  const keys = join(dataDir, "keys");
  const keysExist = statSync(keys, { throwIfNoEntry: false }) !== undefined;
  const notAside = (src: string) => !src.endsWith(".tmp");
  if (keysExist) cpSync(keys, join(staging, "keys"), { recursive: true, filter: notAside });
  mkdirSync(join(staging, "tenants"), { mode: 0o700 });
  for (const name of tenantNames(join(staging, "trailproof.db"))) {
    if (statSync(join(dataDir, "tenants", `${name}.db`), { throwIfNoEntry: false }) === undefined) {
      throw new TrailproofError(
        "DATA_DIR_INVALID",
        `tenant ${name} is in ${join(dataDir, "trailproof.db")} but has no file under tenants/: a data directory from before layout 2 is migrated by its first \`trailproof serve\`; start the service once, then back it up`,
      );
    }
    await backupSqliteFile(join(dataDir, "tenants", `${name}.db`), join(staging, "tenants", `${name}.db`));
  }
  if (keysExist) {
    cpSync(keys, join(staging, "keys"), {
      recursive: true,
      force: true,
      filter: (src) => notAside(src) && basename(src) !== PUBLISHED_ITEM,
    });
  }
}

/** One snapshot of a live SQLite file (WAL included) into `dest`, whatever is written meanwhile. */
async function backupSqliteFile(src: string, dest: string): Promise<void> {
  const db = new Database(src, { readonly: true, fileMustExist: true });
  try {
    // All remaining pages in one step: a write between small steps would
    // restart the copy, and steady ingest could restart it for ever.
    await db.backup(dest, { progress: () => 2 ** 30 });
  } finally {
    db.close();
  }
}

function tenantNames(catalogue: string): string[] {
  const db = new Database(catalogue, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT name FROM tenants ORDER BY tenant_id").all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
}

/** Each tenant's latest signed checkpoint in the copy, read from the copy itself. */
async function latestCheckpoints(staging: string): Promise<BackupTenant[]> {
  const { log } = openSqliteStores(staging);
  try {
    const tenants: BackupTenant[] = [];
    for (const record of await log.listTenants()) {
      const last = (await log.listCheckpoints(record.tenantId)).at(-1);
      const body = last && parseCheckpointBody(parseNote(last.note).text);
      tenants.push({
        name: record.name,
        origin: record.origin,
        treeSize: body ? Number(body.treeSize) : 0,
        rootHash: body ? Buffer.from(body.rootHash).toString("base64") : "",
        checkpoint: last?.note ?? "",
      });
    }
    return tenants;
  } finally {
    // Closing checkpoints the copies' WAL into their files: nothing beside them to archive.
    await log.close();
  }
}

/** fsync of a file or a directory, opened read-only (Linux allows both). */
export function fsyncPath(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function outExists(out: string): TrailproofError {
  return new TrailproofError(
    "BACKUP_OUT_EXISTS",
    `${out} already exists: a backup never overwrites a file, pass a new --out`,
  );
}
