// `trailproof prune`: one retention prune run per tenant (docs/retention.md),
// as the service's schedule runs it, for an operator who turned the schedule
// off or wants it now. Completes unfinished prunes first.
import { Pruner } from "@trailproof/ledger";
import type { Command } from "commander";
import { requireExistingDataDir, withDataDir } from "../data-dir.js";
import { addDatabaseOptions, type DatabaseFlags } from "../database-options.js";

export function registerPruneCommand(program: Command): void {
  addDatabaseOptions(program.command("prune"))
    .description("prune entries past their retention rule that no legal hold covers: one bounded batch per tenant")
    .option("--tenant <name>", "only this tenant (default: every tenant)")
    .action(async (opts: DatabaseFlags & { tenant?: string }) => {
      requireExistingDataDir(opts);
      await withDataDir(opts, async (data) => {
        const pruner = new Pruner(data.ledger, data.retention);
        const tenants = opts.tenant ? [opts.tenant] : (await data.ledger.listTenants()).map((t) => t.name);
        for (const tenant of tenants) {
          const r = await pruner.run(tenant, {
            nowMs: Date.now(),
            searchCovers: (id, size) => data.waitForSearch(id, size, 30_000),
          });
          const ranges = r.ranges.map(([a, b]) => `[${a}, ${b})`).join(", ");
          process.stdout.write(
            r.pruneIndex === null
              ? `${tenant}: nothing to prune${r.skipped ? ` (${r.skipped})` : ""}${r.completed ? `; completed ${r.completed} unfinished prune(s)` : ""}\n`
              : `${tenant}: pruned ${r.entries} entries ${ranges} by entry ${r.pruneIndex}; ${r.keptByHold} kept by legal holds${r.completed ? `; completed ${r.completed} unfinished prune(s)` : ""}\n`,
          );
        }
      });
    });
}
