import type { Command } from "commander";
import { withDataDir } from "../data-dir.js";
import { DEFAULT_DATA_DIR, printJson } from "../output.js";

export function registerKeyCommands(program: Command): void {
  const keys = program.command("signing-key").description("the checkpoint signing keys of a tenant's log");
  keys
    .command("list")
    .requiredOption("--tenant <name>", "tenant")
    .option("--data <dir>", "data directory", DEFAULT_DATA_DIR)
    .action(async (opts: { tenant: string; data: string }) => {
      await withDataDir(opts.data, async ({ ledger }) => {
        printJson(await ledger.verifierKeys(opts.tenant));
      });
    });
  keys
    .command("rotate")
    .description("retire the active key (its private half is deleted) and sign with a new one")
    .requiredOption("--tenant <name>", "tenant")
    .option("--data <dir>", "data directory", DEFAULT_DATA_DIR)
    .action(async (opts: { tenant: string; data: string }) => {
      await withDataDir(opts.data, async ({ ledger }) => {
        await ledger.rotateSigningKey(opts.tenant);
        printJson(await ledger.verifierKeys(opts.tenant));
      });
    });
}
