import type { Command } from "commander";
import { withDataDir } from "../data-dir.js";
import { addDatabaseOptions, type DatabaseFlags } from "../database-options.js";

export function registerCheckpointCommands(program: Command): void {
  addDatabaseOptions(program.command("checkpoint"))
    .description("sign a checkpoint if there are unsigned entries, and print the latest signed checkpoint")
    .requiredOption("--tenant <name>", "tenant")
    .action(async (opts: DatabaseFlags & { tenant: string }) => {
      await withDataDir(opts, async ({ ledger }) => {
        await ledger.treeSize(opts.tenant);
        await ledger.publishCheckpoints();
        process.stdout.write((await ledger.latestCheckpoint(opts.tenant)).note);
      });
    });
}
