// `trailproof ingest`: appends an NDJSON file's events; every rejection is
// named by its line number, the only handle a user has on a line of a file.
import { accessSync, constants, createReadStream, statSync } from "node:fs";
import { createInterface } from "node:readline";
import { TrailproofError } from "@trailproof/core";
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
      // Checked before the store is opened, so a mistyped path appends and creates nothing.
      if (opts.file !== "-") requireReadable(opts.file);
      const counts = { created: 0, duplicate: 0, rejected: 0 };
      const rejected: (AppendResult & { line: number })[] = [];
      const reject = (line: number, r: AppendResult) => {
        counts.rejected++;
        if (rejected.length < 20) rejected.push({ line, ...r });
      };
      await withDataDir(opts, async ({ ledger }) => {
        const input = opts.file === "-" ? process.stdin : createReadStream(opts.file);
        let batch: unknown[] = [];
        let lines: number[] = [];
        const flush = async () => {
          const results = await ledger.append(opts.tenant, batch, { appendedBy: cliAppender("ingest") });
          for (const [i, r] of results.entries()) {
            if (r.status === "rejected") reject(lines[i] as number, r);
            else if (r.status !== "withheld") counts[r.status]++;
          }
          batch = [];
          lines = [];
        };
        let lineNumber = 0;
        for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
          lineNumber++;
          if (line.trim() === "") continue;
          try {
            batch.push(JSON.parse(line));
            lines.push(lineNumber);
          } catch (err) {
            // Not an event at all: the ledger's `pointer ""` would not say where.
            const message = `line ${lineNumber} is not JSON: ${err instanceof Error ? err.message : String(err)}`;
            reject(lineNumber, { status: "rejected", id: null, problems: [{ pointer: "", message }] });
            continue;
          }
          if (batch.length >= 1000) await flush();
        }
        await flush();
      });
      printJson({ ...counts, first_rejections: rejected.sort((a, b) => a.line - b.line) });
      if (counts.rejected > 0) process.exitCode = 1;
    });
}

function requireReadable(file: string): void {
  try {
    accessSync(file, constants.R_OK);
    if (statSync(file).isDirectory()) throw Object.assign(new Error("a directory"), { code: "EISDIR" });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new TrailproofError(
      "INGEST_FILE_UNREADABLE",
      `cannot read --file ${file} (${String(code)}): pass an NDJSON file, or - for standard input`,
    );
  }
}
