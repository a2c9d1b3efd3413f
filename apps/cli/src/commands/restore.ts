// `trailproof restore`: unpacks a backup beside --data, verifies every file
// and every tenant's log, refuses a copy older than a checkpoint already
// published unless forced, and only then puts it in place (docs/runbooks/backup-restore.md).
import { restoreDataDir } from "@trailproof/ledger";
import type { Command } from "commander";
import { DEFAULT_DATA_DIR, printJson, progressReporter } from "../output.js";
import { readCheckpoints } from "./verify.js";

interface RestoreCliOptions {
  from: string;
  data?: string;
  checkpoint?: string[];
  force?: boolean;
  json?: boolean;
}

export function registerRestoreCommand(program: Command): void {
  program
    .command("restore")
    .description("restore a backup into a new data directory, after verifying every file and every tenant's log")
    .requiredOption("--from <file>", "the archive `trailproof backup` wrote")
    .option("--data <dir>", "the data directory to create; absent or empty (TRAILPROOF_DATA, default ./data)")
    .option(
      "--checkpoint <fileOrUrl...>",
      "checkpoints the service published (files, or http(s) URLs of a witness or mirror): refuse a backup older than any",
    )
    .option("--force", "restore a backup older than a --checkpoint anyway: the events after it are lost")
    .option("--json", "print the result as JSON")
    .action(async (opts: RestoreCliOptions) => {
      const dataDir = opts.data ?? DEFAULT_DATA_DIR;
      const published = await readCheckpoints(opts.checkpoint ?? []);
      const result = await restoreDataDir(opts.from, dataDir, {
        published,
        force: opts.force === true,
        // Progress on a terminal only: a script or cron job reads one line, the outcome.
        onProgress: process.stderr.isTTY ? (tenant) => progressReporter(`verify ${tenant}`) : undefined,
      });
      if (opts.json) {
        printJson({ data: dataDir, ...result });
        return;
      }
      for (const t of result.tenants) process.stdout.write(`OK ${t.name}: ${t.treeSize} entries verified\n`);
      for (const r of result.rolledBack) {
        process.stdout.write(
          `forced: ${r.tenant} restored behind the checkpoint of ${r.publishedSize} in ${r.source}: ${r.lost} events lost\n`,
        );
      }
      process.stdout.write(`restored into ${dataDir}\n`);
    });
}
