// `trailproof restore`: a backup archive unpacked beside the target and
// verified whole before it becomes the data directory (docs/runbooks/backup-restore.md):
// every file against the manifest's SHA-256, every tenant's log by
// tenantLogReport (leaves, tree, checkpoint signatures, derived rows), and the
// copy against checkpoints published after it was taken (a rollback).
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { type Divergence, parseCheckpointBody, parseNote, TrailproofError } from "@trailproof/core";
import { extract } from "tar";
import { DigestKeyStore } from "../keys/digest-keys.js";
import { FileKeyVault } from "../keys/file-key-vault.js";
import { SigningKeyStore } from "../keys/signing-keys.js";
import { nodeHasher } from "../node-hasher.js";
import { openSqliteStores } from "../store/sqlite/open-sqlite-store.js";
import { noteOrigin, tenantLogReport } from "../verify/tenant-log-report.js";
import { fsyncPath } from "./backup-data-dir.js";
import { type BackupManifest, corrupt, MANIFEST_NAME, parseManifest, sha256File } from "./backup-manifest.js";
import { listDirs, listFiles } from "./list-files.js";

export interface PublishedCheckpoint {
  /** Where the operator got it (a file or URL), for messages. */
  source: string;
  /** The signed checkpoint note; untrusted until verified against the copy's keys. */
  note: string;
}

export interface RestoreOptions {
  /** Checkpoints the service published after (or before) the backup; the copy must reach each. */
  published?: readonly PublishedCheckpoint[];
  /** Accept a copy behind a published checkpoint: its later events are lost. */
  force?: boolean;
  onProgress?: (tenant: string) => (verified: number, total: number) => void;
}

export interface RollbackFinding {
  tenant: string;
  source: string;
  publishedSize: number;
  treeSize: number;
  kind: "truncated" | "forked";
  /** Entries the copy lacks against the published checkpoint (0 for a fork at or below the copy's size). */
  lost: number;
}

export interface RestoreResult {
  tenants: { name: string; treeSize: number }[];
  /** Rollbacks accepted with `force`; empty otherwise. */
  rolledBack: RollbackFinding[];
}

/**
 * Restores `archive` into `dataDir`, which MUST be absent or empty. Nothing
 * is left at `dataDir` unless everything verified (or only a rollback was
 * found and `force` accepted it).
 */
export async function restoreDataDir(
  archive: string,
  dataDir: string,
  options: RestoreOptions = {},
): Promise<RestoreResult> {
  requireEmptyTarget(dataDir);
  statSync(archive); // a missing --from is the file system's one-line refusal, before anything is created
  mkdirSync(dirname(dataDir), { recursive: true });
  const staging = mkdtempSync(join(dirname(dataDir), `.${basename(dataDir)}.restore-`));
  try {
    await unpack(archive, staging);
    const manifest = await checkFiles(staging);
    // The archive lists files only: its directories (keys/ above all) get the data directory's mode.
    for (const dir of listDirs(staging)) chmodSync(join(staging, dir), 0o700);
    const result = await verifyCopy(staging, manifest, options);
    if (result.rolledBack.length > 0 && !options.force) throw rollbackError(result.rolledBack);
    // Durable before it is named: a crash after the rename never leaves half-written files at dataDir.
    for (const path of [...listFiles(staging), ...listDirs(staging), "."]) fsyncPath(join(staging, path));
    // rename(2) replaces an empty directory; one left by a failed attempt is removed first.
    if (statSync(dataDir, { throwIfNoEntry: false }) !== undefined) rmdirSync(dataDir);
    renameSync(staging, dataDir);
    fsyncPath(dirname(dataDir));
    return result;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function requireEmptyTarget(dataDir: string): void {
  const kind = statSync(dataDir, { throwIfNoEntry: false });
  if (kind === undefined) return;
  if (!kind.isDirectory() || readdirSync(dataDir).length > 0) {
    throw new TrailproofError(
      "RESTORE_TARGET_NOT_EMPTY",
      `${dataDir} is not an empty directory: restore never writes over data; pass --data a new or empty directory`,
    );
  }
}

/** Untars into `staging`: regular files and directories only, and any damage is BACKUP_CORRUPT. */
async function unpack(archive: string, staging: string): Promise<void> {
  let refused: string | undefined;
  try {
    await extract({
      file: archive,
      cwd: staging,
      // Warnings (a bad header, a cut-short entry, an unsafe path) fail the restore.
      strict: true,
      filter: (path, entry) => {
        const type = "type" in entry ? entry.type : "File";
        if (type === "File" || type === "Directory") return true;
        refused ??= `it holds ${path}, a ${type}, where only files and directories belong`;
        return false;
      },
    });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw corrupt(`the archive cannot be read whole, truncated or damaged (${why})`);
  }
  if (refused) throw corrupt(refused);
}

async function checkFiles(staging: string): Promise<BackupManifest> {
  const manifestPath = join(staging, MANIFEST_NAME);
  if (statSync(manifestPath, { throwIfNoEntry: false }) === undefined) {
    throw corrupt("it holds no manifest.json: not a trailproof backup, or cut short");
  }
  const manifest = parseManifest(readFileSync(manifestPath, "utf8"));
  const present = new Set(listFiles(staging).filter((p) => p !== MANIFEST_NAME));
  for (const [path, expected] of Object.entries(manifest.files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!present.delete(path)) throw corrupt(`${path} is missing (its manifest lists it)`);
    const found = await sha256File(join(staging, ...path.split("/")));
    if (found !== expected) {
      throw corrupt(`${path} does not match its manifest: SHA-256 ${found}, expected ${expected}`);
    }
  }
  const extra = [...present].sort()[0];
  if (extra !== undefined) throw corrupt(`${extra} is not in its manifest`);
  if (!("trailproof.db" in manifest.files)) throw corrupt("it holds no trailproof.db");
  rmSync(manifestPath);
  return manifest;
}

async function verifyCopy(staging: string, manifest: BackupManifest, options: RestoreOptions): Promise<RestoreResult> {
  const { log, audits } = openSqliteStores(staging);
  const vault = new FileKeyVault(join(staging, "keys"));
  const keys = new SigningKeyStore(vault, nodeHasher);
  const digestKeys = new DigestKeyStore(vault);
  const published = options.published ?? [];
  try {
    const records = await log.listTenants();
    const names = records.map((r) => r.name).sort();
    const listed = manifest.tenants.map((t) => t.name).sort();
    if (names.join("\n") !== listed.join("\n")) {
      throw corrupt(`its catalogue's tenants (${names.join(", ")}) are not its manifest's (${listed.join(", ")})`);
    }
    const origins = new Set(records.map((r) => r.origin));
    for (const p of published) {
      if (!origins.has(noteOrigin(p.note))) {
        throw new TrailproofError(
          "VERIFY_CHECKPOINT_UNMATCHED",
          `checkpoint ${p.source} is for ${JSON.stringify(noteOrigin(p.note))}, which no tenant in the backup has`,
        );
      }
    }
    const result: RestoreResult = { tenants: [], rolledBack: [] };
    for (const record of records) {
      const named = manifest.tenants.find((t) => t.name === record.name) as BackupManifest["tenants"][number];
      const theirs = published.filter((p) => noteOrigin(p.note) === record.origin);
      const stored = (await log.listCheckpoints(record.tenantId)).map((c) => c.note);
      if (named.origin !== record.origin || (named.checkpoint !== "" && !stored.includes(named.checkpoint))) {
        throw corrupt(`tenant ${record.name}: the checkpoint its manifest names is not in the copy`);
      }
      const own = named.checkpoint === "" ? [] : [named.checkpoint];
      const verify = async (published: readonly string[]) =>
        tenantLogReport(log, nodeHasher, record.name, {
          verifierKeys: (await keys.verifiers(record.name)).map((k) => k.verifier_key),
          derived: audits,
          published,
          digestKey: await digestKeys.find(record.name),
          onProgress: options.onProgress?.(record.name),
        });
      // One pass over the log with every checkpoint; a second, with the
      // manifest's alone, only to tell a damaged copy from a copy behind
      // the operator's checkpoints when the first finds anything.
      let report = await verify([...own, ...theirs.map((p) => p.note)]);
      const withTheirs = report.divergences;
      const behind = withTheirs.length > 0 && theirs.length > 0;
      if (behind) report = await verify(own);
      if (report.treeSize < named.treeSize) {
        throw corrupt(
          `tenant ${record.name}: the copy holds ${report.treeSize} entries, fewer than the checkpoint of ${named.treeSize} its manifest names`,
        );
      }
      const first = report.divergences[0];
      if (first) throw corrupt(`tenant ${record.name}: ${describe(first)}`);
      if (!report.ok) throw corrupt(`tenant ${record.name}: no checkpoint in the copy could be verified`);
      if (behind) {
        // With one operator checkpoint, the first pass already said what it alone finds.
        const check = theirs.length === 1 ? async () => ({ divergences: withTheirs }) : verify;
        result.rolledBack.push(...(await rollbacks(record.name, report.treeSize, theirs, check)));
      }
      result.tenants.push({ name: record.name, treeSize: report.treeSize });
    }
    return result;
  } finally {
    await log.close();
  }
}

/**
 * Which of the operator's checkpoints the copy, verified on its own, falls
 * behind. Each is checked alone, so a checkpoint that does not verify with
 * the copy's keys is named rather than counted as a rollback.
 */
async function rollbacks(
  tenant: string,
  treeSize: number,
  theirs: readonly PublishedCheckpoint[],
  verify: (published: readonly string[]) => Promise<{ divergences: Divergence[] }>,
): Promise<RollbackFinding[]> {
  const found: RollbackFinding[] = [];
  for (const p of theirs) {
    const { divergences } = await verify([p.note]);
    const invalid = divergences.find((d) => d.kind !== "CHECKPOINT_ROLLBACK");
    if (invalid) {
      throw new TrailproofError(
        "VERIFY_CHECKPOINT_UNMATCHED",
        `checkpoint ${p.source} does not verify against tenant ${tenant}'s copy (${describe(invalid)}): signed by a key added after the backup, or not this log's`,
      );
    }
    if (divergences.length === 0) continue;
    const publishedSize = Number(parseCheckpointBody(parseNote(p.note).text).treeSize);
    const truncated = publishedSize > treeSize;
    found.push({
      tenant,
      source: p.source,
      publishedSize,
      treeSize,
      kind: truncated ? "truncated" : "forked",
      lost: truncated ? publishedSize - treeSize : 0,
    });
  }
  // The checkpoint that shows the largest loss speaks for the tenant.
  return found.sort((a, b) => b.lost - a.lost || b.publishedSize - a.publishedSize).slice(0, 1);
}

function rollbackError(found: readonly RollbackFinding[]): TrailproofError {
  const lost = found.reduce((n, f) => n + f.lost, 0);
  const each = found.map((f) =>
    f.kind === "truncated"
      ? `tenant ${f.tenant} holds ${f.treeSize} entries, but ${f.source} is a checkpoint of ${f.publishedSize} it published: ${f.lost} events would be lost`
      : `tenant ${f.tenant}'s copy differs from the checkpoint of ${f.publishedSize} in ${f.source}: a fork`,
  );
  return new TrailproofError(
    "RESTORE_ROLLBACK",
    `the backup is older than a checkpoint already published, a rollback (${lost} events lost in all): ${each.join("; ")}. Restore a newer backup, or pass --force to accept the loss`,
  );
}

function describe(d: Divergence): string {
  return `${d.kind} at index ${d.index ?? "-"}: ${d.message}`;
}
