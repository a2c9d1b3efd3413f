import { nodeHasher, SigningKeyStore } from "@trailproof/ledger";
import type { Command } from "commander";
import { withDataDir } from "../data-dir.js";
import { addDatabaseOptions, type DatabaseFlags } from "../database-options.js";
import { printJson } from "../output.js";
import { tenantNamed, withReadStores } from "../read-stores.js";

export function registerKeyCommands(program: Command): void {
  const keys = program.command("signing-key").description("the checkpoint signing keys of a tenant's log");
  addDatabaseOptions(keys.command("list"))
    .description("print a tenant's verifier keys, active and retired, as JSON")
    .requiredOption("--tenant <name>", "tenant")
    .action(async (opts: DatabaseFlags & { tenant: string }) => {
      // Read only: the ledger's verifierKeys would create a missing signing key.
      await withReadStores(opts, async ({ log, vault }) => {
        await tenantNamed(log, opts.tenant);
        printJson(await new SigningKeyStore(vault, nodeHasher).verifiers(opts.tenant));
      });
    });
  addDatabaseOptions(keys.command("rotate"))
    .description("retire the active key (its private half is deleted) and sign with a new one")
    .requiredOption("--tenant <name>", "tenant")
    .action(async (opts: DatabaseFlags & { tenant: string }) => {
      await withDataDir(opts, async ({ ledger }) => {
        await ledger.rotateSigningKey(opts.tenant);
        printJson(await ledger.verifierKeys(opts.tenant));
      });
    });
}
