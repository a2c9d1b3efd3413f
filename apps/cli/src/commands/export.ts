import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { bundleLines, nodeHasher, SigningKeyStore } from "@trailproof/ledger";
import type { Command } from "commander";
import { addDatabaseOptions, type DatabaseFlags } from "../database-options.js";
import { printJson } from "../output.js";
import { tenantNamed, withReadStores } from "../read-stores.js";

export function registerExportCommand(program: Command): void {
  addDatabaseOptions(program.command("export"))
    .description(
      "write a self-contained bundle (entries, checkpoints, verifier keys) that `verify --bundle` checks offline",
    )
    .requiredOption("--tenant <name>", "tenant")
    .requiredOption("--out <file>", "bundle file to write")
    .action(async (opts: DatabaseFlags & { tenant: string; out: string }) => {
      // Read only: the bundle ends at the latest signed checkpoint (bundleLines); signing
      // what is unsigned is the service's work, or `trailproof checkpoint`'s.
      await withReadStores(opts, async ({ log, vault }) => {
        // Before the file is created: a mistyped tenant leaves no empty bundle behind.
        const tenant = await tenantNamed(log, opts.tenant);
        const keys = await new SigningKeyStore(vault, nodeHasher).verifiers(opts.tenant);
        await pipeline(
          Readable.from(bundleLines(log, opts.tenant, keys)),
          createWriteStream(opts.out, { flush: true }),
        );
        const signed = (await log.latestCheckpoint(tenant.tenantId))?.treeSize ?? 0;
        const size = await log.treeSize(tenant.tenantId);
        if (size > signed) {
          process.stderr.write(
            `note: the log's last ${size - signed} entries are not signed yet and not in the bundle; the running service signs them (or \`trailproof checkpoint\`), then export again\n`,
          );
        }
        printJson({ tenant: opts.tenant, out: opts.out, tree_size: signed });
      });
    });
}
