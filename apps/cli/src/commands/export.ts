import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { bundleLines } from "@trailproof/ledger";
import type { Command } from "commander";
import { withDataDir } from "../data-dir.js";
import { addDatabaseOptions, type DatabaseFlags } from "../database-options.js";
import { printJson } from "../output.js";

export function registerExportCommand(program: Command): void {
  addDatabaseOptions(program.command("export"))
    .description(
      "write a self-contained bundle (entries, checkpoints, verifier keys) that `verify --bundle` checks offline",
    )
    .requiredOption("--tenant <name>", "tenant")
    .requiredOption("--out <file>", "bundle file to write")
    .action(async (opts: DatabaseFlags & { tenant: string; out: string }) => {
      await withDataDir(
        opts,
        async ({ ledger }) => {
          // Sign what is unsigned first, so the bundle covers every entry.
          await ledger.treeSize(opts.tenant);
          await ledger.publishCheckpoints();
          const keys = await ledger.verifierKeys(opts.tenant);
          await pipeline(
            Readable.from(bundleLines(ledger.store, opts.tenant, keys)),
            createWriteStream(opts.out, { flush: true }),
          );
          const cp = await ledger.latestCheckpoint(opts.tenant);
          printJson({ tenant: opts.tenant, out: opts.out, tree_size: cp.treeSize });
        },
        { checkpointIntervalMs: 0 },
      );
    });
}
