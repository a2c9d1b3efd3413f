import { issueApiKey } from "@trailproof/ledger";
import type { Command } from "commander";
import { withDataDir } from "../data-dir.js";
import { addDatabaseOptions, type DatabaseFlags } from "../database-options.js";
import { printJson } from "../output.js";

export function registerInitCommand(program: Command): void {
  addDatabaseOptions(program.command("init"))
    .description("create a platform operator credential (creates tenants, sees health, reads no tenant's events)")
    .option("--json", "print JSON")
    .action(async (opts: DatabaseFlags & { json?: boolean }) => {
      await withDataDir(opts, async ({ access }) => {
        const issued = await issueApiKey(access, {
          tenantId: null,
          role: "operator",
          name: "operator",
          createdBy: "cli",
        });
        if (opts.json) printJson({ operator_key: issued.key, key_id: issued.record.keyId });
        else process.stdout.write(`operator key (shown once): ${issued.key}\n`);
      });
    });
}
