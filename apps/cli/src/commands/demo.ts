import { TrailproofError } from "@trailproof/core";
import { sampleEvents } from "@trailproof/server";
import type { Command } from "commander";
import { cliAppender, storeName, storeOf, withDataDir } from "../data-dir.js";
import { addDatabaseOptions, type DatabaseFlags } from "../database-options.js";

export function registerDemoCommand(program: Command): void {
  addDatabaseOptions(program.command("demo"))
    .description("create a demo tenant with sample no-code activity, sign a checkpoint, and show how to verify it")
    .option("--tenant <name>", "tenant", "demo")
    .option("--events <n>", "number of sample events", parseEvents, 500)
    .action(async (opts: DatabaseFlags & { tenant: string; events: number }) => {
      const store = storeOf(opts);
      // The commands to run next name the same store; a database URL without its password.
      const where = store.database === undefined ? `--data ${store.dataDir}` : `--database '${storeName(store)}'`;
      const key = store.masterKeyFile === undefined ? "" : ` --master-key-file ${store.masterKeyFile}`;
      await withDataDir(opts, async ({ ledger }) => {
        if (!(await ledger.getTenant(opts.tenant))) await ledger.createTenant(opts.tenant);
        const size = await ledger.treeSize(opts.tenant);
        const events = sampleEvents(opts.events, { idPrefix: `demo_${size}` });
        const results = await ledger.append(opts.tenant, events, { appendedBy: cliAppender("demo") });
        const created = results.filter((r) => r.status === "created").length;
        await ledger.publishCheckpoints();
        const cp = await ledger.latestCheckpoint(opts.tenant);
        const [verifier] = (await ledger.verifierKeys(opts.tenant)).filter((k) => k.retired_at === null);
        process.stdout.write(
          [
            `Trailproof demo: ${created} events appended to tenant "${opts.tenant}" in ${storeName(store)}`,
            "",
            "Latest signed checkpoint:",
            cp.note,
            `Verifier key (pin it): ${verifier?.verifier_key}`,
            "",
            "Next:",
            `  npx trailproof verify ${where}${key} --tenant ${opts.tenant}`,
            `  npx trailproof export ${where}${key} --tenant ${opts.tenant} --out ${opts.tenant}.bundle`,
            `  npx trailproof verify --bundle ${opts.tenant}.bundle --key '${verifier?.verifier_key}'`,
            "",
          ].join("\n"),
        );
      });
    });
}

/** --events, refused before the store is opened: "abc" once appended nothing and said so as success. */
function parseEvents(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) {
    throw new TrailproofError("DEMO_OPTIONS_INVALID", `--events must be a whole number, not ${JSON.stringify(text)}`);
  }
  return n;
}
