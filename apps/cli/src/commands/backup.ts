// `trailproof backup`: a consistent copy of a data directory, taken while the
// service runs, in one archive with a manifest (docs/runbooks/backup-restore.md).
import { TrailproofError } from "@trailproof/core";
import { backupDataDir } from "@trailproof/ledger";
import type { Command } from "commander";
import { storeOf } from "../data-dir.js";
import { printJson } from "../output.js";

interface BackupCliOptions {
  data?: string;
  out: string;
  json?: boolean;
}

export function registerBackupCommand(program: Command): void {
  program
    .command("backup")
    .description(
      "copy a data directory, while the service runs, into one archive: every SQLite file, the keys, and a manifest of each tenant's latest signed checkpoint",
    )
    .option("--data <dir>", "data directory of the embedded SQLite store (TRAILPROOF_DATA, default ./data)")
    .requiredOption("--out <file>", "the archive to write (a .tar.gz); never overwritten")
    .option("--json", "print the manifest's tenants as JSON")
    .action(async (opts: BackupCliOptions) => {
      const store = storeOf({ data: opts.data });
      if (store.database !== undefined) {
        throw new TrailproofError(
          "CONFIG_INVALID",
          "backup copies a data directory; a PostgreSQL database is backed up with its own tools (docs/runbooks/postgres-backup.md)",
        );
      }
      const { manifest, bytes } = await backupDataDir(store.dataDir as string, opts.out);
      if (opts.json) {
        printJson({ out: opts.out, bytes, createdAt: manifest.createdAt, tenants: manifest.tenants });
        return;
      }
      for (const t of manifest.tenants) {
        process.stdout.write(`${t.name}: latest signed checkpoint at tree size ${t.treeSize}\n`);
      }
      process.stdout.write(
        `backup written to ${opts.out} (${bytes.toLocaleString("en")} bytes); it holds the signing keys: keep it as secret as they are\n`,
      );
    });
}
