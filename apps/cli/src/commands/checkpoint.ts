import type { Command } from "commander";
import { withDataDir } from "../data-dir.js";
import { DEFAULT_DATA_DIR } from "../output.js";

export function registerCheckpointCommands(program: Command): void {
  program
    .command("checkpoint")
    .description("sign a checkpoint if there are unsigned entries, and print the latest signed checkpoint")
    .requiredOption("--tenant <name>", "tenant")
    .option("--data <dir>", "data directory", DEFAULT_DATA_DIR)
    .action(async (opts: { tenant: string; data: string }) => {
      await withDataDir(opts.data, async ({ ledger }) => {
        await ledger.treeSize(opts.tenant);
        await ledger.publishCheckpoints();
        process.stdout.write((await ledger.latestCheckpoint(opts.tenant)).note);
      });
    });
}
