// `trailproof simulate`: drives the SDK like a real no-code workspace against
// a running service, over simulated days, for demos and load-shaped testing.
// A service it cannot reach or a refused key ends it within seconds, in one
// line (exit 2), with nothing more sent after the refusal.
import { type DeliveryError, TrailproofClient } from "@trailproof/client";
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

/** How long the up-front check waits for /healthz before calling the service unreachable. */
const CHECK_TIMEOUT_MS = 5000;

function connectionReason(err: unknown): string {
  if (err instanceof Error && err.name === "TimeoutError") return `no answer within ${CHECK_TIMEOUT_MS / 1000} s`;
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (cause?.code === "ECONNREFUSED") return "connection refused (is the service running on that port?)";
  if (cause?.code === "ENOTFOUND") return "host not found";
  if (typeof cause?.message === "string") return cause.message;
  return err instanceof Error ? err.message : String(err);
}

/** GET /healthz (no key needed): DELIVERY_CONNECTION_FAILED before anything is sent when nothing answers there. */
async function checkService(url: string): Promise<void> {
  let status: number;
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
    status = res.status;
    await res.body?.cancel();
  } catch (err) {
    throw new TrailproofError("DELIVERY_CONNECTION_FAILED", `cannot connect to ${url}: ${connectionReason(err)}`);
  }
  if (status !== 200) {
    throw new TrailproofError(
      "DELIVERY_CONNECTION_FAILED",
      `cannot connect to ${url}: GET /healthz answered HTTP ${status}; is --url a Trailproof service?`,
    );
  }
}

/** The one line a refused key or a lost service ends the command with. */
function fatalFor(error: TrailproofError & Partial<Pick<DeliveryError, "status">>, url: string): TrailproofError {
  if (error.code === "DELIVERY_UNAUTHORISED") {
    const hint =
      error.status === 403
        ? "this key may not append events; use an ingest key"
        : "check --key or TRAILPROOF_INGEST_KEY; it must be an active ingest key (trailproof key create --role ingest)";
    return new TrailproofError("DELIVERY_UNAUTHORISED", `the key was refused (${error.status}): ${hint}`);
  }
  return new TrailproofError("DELIVERY_CONNECTION_FAILED", error.message || `cannot connect to ${url}`);
}

function isFatal(err: unknown): boolean {
  return (
    err instanceof TrailproofError &&
    (err.code === "DELIVERY_UNAUTHORISED" || err.code === "DELIVERY_CONNECTION_FAILED")
  );
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
      const stop = new AbortController();
      const client = new TrailproofClient({
        url: flags.url,
        apiKey,
        onError: (error) => {
          if (isFatal(error)) stop.abort(error);
          else rejected.push(`${error.code}: ${error.message}`);
        },
      });
      // The client accepted the URL; the same form as the client sends to.
      const url = new URL(flags.url).href.replace(/\/+$/, "");
      let summary: Awaited<ReturnType<typeof simulateWorkspace>>;
      try {
        await checkService(url);
        summary = await simulateWorkspace({
          client,
          days,
          seed,
          ratePerSecond,
          signal: stop.signal,
          ...(startMs === undefined ? {} : { startMs }),
          onDay: (day, sent) => process.stderr.write(`simulated day ${day + 1}/${days}: ${sent} events so far\n`),
        });
      } catch (err) {
        // Waiting for an unreachable service would hang: what is unsent is abandoned, as the line says.
        await client.close({ timeoutMs: 0 });
        const cause = stop.signal.aborted ? stop.signal.reason : err;
        throw isFatal(cause) ? fatalFor(cause as TrailproofError, url) : cause;
      }
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
