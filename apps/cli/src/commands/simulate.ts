// `trailproof simulate`: drives the SDK like a real no-code workspace against
// a running service, over simulated days, for demos and load-shaped testing.
import { TrailproofClient } from "@trailproof/client";
import { TrailproofError } from "@trailproof/core";
import type { Command } from "commander";
import { printJson } from "../output.js";
import { simulateWorkspace } from "../simulator/index.js";

interface SimulateFlags {
  url: string;
  key?: string;
  days: string;
  rate: string;
  seed: string;
  start?: string;
  json?: boolean;
}

function positive(name: string, text: string, integer: boolean): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new TrailproofError(
      "SIMULATE_OPTIONS_INVALID",
      `--${name} must be a positive ${integer ? "integer" : "number"}`,
      {
        problems: [
          {
            pointer: `/${name}`,
            message: `${JSON.stringify(text)} is not a positive ${integer ? "integer" : "number"}`,
          },
        ],
      },
    );
  }
  return n;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command("simulate")
    .description(
      "send simulated no-code workspace activity (builders, automations, policies, logins) to a running service",
    )
    .requiredOption("--url <url>", "the service, e.g. http://127.0.0.1:8080")
    .option("--key <key>", "an ingest key (or TRAILPROOF_INGEST_KEY)")
    .option("--days <n>", "simulated days", "3")
    .option("--rate <r>", "at most this many events per second", "200")
    .option("--seed <s>", "seed: the same seed and start give the same events", "1")
    .option("--start <date>", "first simulated day, YYYY-MM-DD (default: --days days ago)")
    .option("--json", "print the summary as JSON")
    .action(async (flags: SimulateFlags) => {
      const apiKey = flags.key ?? process.env.TRAILPROOF_INGEST_KEY;
      if (!apiKey) throw new TrailproofError("SIMULATE_OPTIONS_INVALID", "--key or TRAILPROOF_INGEST_KEY is required");
      const days = positive("days", flags.days, true);
      const ratePerSecond = positive("rate", flags.rate, false);
      const seed = positive("seed", flags.seed, true);
      const startMs = flags.start === undefined ? undefined : Date.parse(`${flags.start}T00:00:00Z`);
      if (startMs !== undefined && Number.isNaN(startMs)) {
        throw new TrailproofError("SIMULATE_OPTIONS_INVALID", "--start must be a date such as 2026-05-01");
      }
      const rejected: string[] = [];
      const client = new TrailproofClient({
        url: flags.url,
        apiKey,
        onError: (error) => rejected.push(`${error.code}: ${error.message}`),
      });
      const summary = await simulateWorkspace({
        client,
        days,
        seed,
        ratePerSecond,
        ...(startMs === undefined ? {} : { startMs }),
        onDay: (day, sent) => process.stderr.write(`simulated day ${day + 1}/${days}: ${sent} events so far\n`),
      });
      await client.close();
      const stats = client.stats();
      if (flags.json) printJson({ ...summary, delivery: stats });
      else {
        process.stdout.write(
          `${summary.events} events over ${days} simulated day(s) from ${new Date(summary.startMs).toISOString().slice(0, 10)}: ` +
            `${stats.acknowledged - stats.duplicates} created, ${stats.duplicates} duplicate, ${stats.rejected} rejected\n`,
        );
        for (const line of rejected.slice(0, 5)) process.stdout.write(`  ${line}\n`);
      }
      if (stats.rejected > 0) process.exitCode = 1;
    });
}
