import { sampleEvents } from "@trailproof/server";
import type { Command } from "commander";
import { cliAppender, withDataDir } from "../data-dir.js";
import { DEFAULT_DATA_DIR } from "../output.js";

export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description("create a demo tenant with sample no-code activity, sign a checkpoint, and show how to verify it")
    .option("--data <dir>", "data directory", DEFAULT_DATA_DIR)
    .option("--tenant <name>", "tenant", "demo")
    .option("--events <n>", "number of sample events", "500")
    .action(async (opts: { data: string; tenant: string; events: string }) => {
      await withDataDir(opts.data, async ({ ledger }) => {
        if (!(await ledger.getTenant(opts.tenant))) await ledger.createTenant(opts.tenant);
        const size = await ledger.treeSize(opts.tenant);
        const events = sampleEvents(Number(opts.events), { idPrefix: `demo_${size}` });
        const results = await ledger.append(opts.tenant, events, { appendedBy: cliAppender("demo") });
        const created = results.filter((r) => r.status === "created").length;
        await ledger.publishCheckpoints();
        const cp = await ledger.latestCheckpoint(opts.tenant);
        const [key] = (await ledger.verifierKeys(opts.tenant)).filter((k) => k.retired_at === null);
        process.stdout.write(
          [
            `Trailproof demo: ${created} events appended to tenant "${opts.tenant}" in ${opts.data}`,
            "",
            "Latest signed checkpoint:",
            cp.note,
            `Verifier key (pin it): ${key?.verifier_key}`,
            "",
            "Next:",
            `  npx trailproof verify --data ${opts.data} --tenant ${opts.tenant}`,
            `  npx trailproof export --data ${opts.data} --tenant ${opts.tenant} --out ${opts.tenant}.bundle`,
            `  npx trailproof verify --bundle ${opts.tenant}.bundle --key '${key?.verifier_key}'`,
            "",
          ].join("\n"),
        );
      });
    });
}
