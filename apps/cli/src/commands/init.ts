import { issueApiKey } from "@trailproof/ledger";
import type { Command } from "commander";
import { withDataDir } from "../data-dir.js";
import { DEFAULT_DATA_DIR, printJson } from "../output.js";

export function registerInitCommand(program: Command): void {
  program
    .command("init")
    .description("create a platform operator credential (creates tenants, sees health, reads no tenant's events)")
    .option("--data <dir>", "data directory", DEFAULT_DATA_DIR)
    .option("--json", "print JSON")
    .action(async (opts: { data: string; json?: boolean }) => {
      await withDataDir(opts.data, async ({ access }) => {
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
