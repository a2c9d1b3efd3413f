// How the CLI speaks: results on stdout (JSON with --json), progress and
// errors on stderr, exit code 1 for a failed check, 2 for a usage or input error.
import { TrailproofError } from "@trailproof/core";

export const DEFAULT_DATA_DIR = process.env.TRAILPROOF_DATA ?? "./data";

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function reportFailure(err: unknown): number {
  if (err instanceof TrailproofError) {
    process.stderr.write(`error ${err.code}: ${err.message}\n`);
    for (const p of err.problems) process.stderr.write(`  ${p.pointer || "/"}: ${p.message}\n`);
    return 2;
  }
  process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 1;
}

/** A progress line on stderr that rewrites itself on a terminal and prints every ~10% otherwise. */
export function progressReporter(label: string): (done: number, total: number) => void {
  let lastTenth = -1;
  return (done, total) => {
    const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
    if (process.stderr.isTTY) {
      process.stderr.write(`\r${label}: ${done.toLocaleString("en")} / ${total.toLocaleString("en")} (${pct}%)`);
      if (done >= total) process.stderr.write("\n");
      return;
    }
    const tenth = Math.floor(pct / 10);
    if (tenth !== lastTenth) {
      lastTenth = tenth;
      process.stderr.write(`${label}: ${done.toLocaleString("en")} / ${total.toLocaleString("en")} (${pct}%)\n`);
    }
  };
}
