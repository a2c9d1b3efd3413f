import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { AppendResult } from "@trailproof/ledger";
import type { Command } from "commander";
import { cliAppender, withDataDir } from "../data-dir.js";
import { addDatabaseOptions, type DatabaseFlags } from "../database-options.js";
import { printJson } from "../output.js";

export function registerIngestCommand(program: Command): void {
  addDatabaseOptions(program.command("ingest"))
    .description("append events from an NDJSON file (one event per line) to a tenant's log")
    .requiredOption("--tenant <name>", "tenant")
    .requiredOption("--file <path>", "NDJSON file, or - for standard input")
    .action(async (opts: DatabaseFlags & { tenant: string; file: string }) => {
      const counts = { created: 0, duplicate: 0, rejected: 0 };
      const rejected: AppendResult[] = [];
      await withDataDir(opts, async ({ ledger }) => {
        const input = opts.file === "-" ? process.stdin : createReadStream(opts.file);
        let batch: unknown[] = [];
        const flush = async () => {
          for (const r of await ledger.append(opts.tenant, batch, { appendedBy: cliAppender("ingest") })) {
            counts[r.status]++;
            if (r.status === "rejected" && rejected.length < 20) rejected.push(r);
          }
          batch = [];
        };
        for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
          if (line.trim() === "") continue;
          let event: unknown;
          try {
            event = JSON.parse(line);
          } catch {
            event = line;
          }
          batch.push(event);
          if (batch.length >= 1000) await flush();
        }
        await flush();
      });
      printJson({ ...counts, first_rejections: rejected });
      if (counts.rejected > 0) process.exitCode = 1;
    });
}
