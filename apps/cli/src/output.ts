// How the CLI speaks: results on stdout (JSON with --json), progress and
// errors on stderr, exit code 1 for a failed check, 2 for a usage or input error.
// A failure is one line on stderr; its stack only with --debug.
import { TrailproofError } from "@trailproof/core";

export const DEFAULT_DATA_DIR = process.env.TRAILPROOF_DATA ?? "./data";

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** The file system's refusals of a path the operator named (a --file, --out or --checkpoint). */
const PATH_CODES: Record<string, string> = {
  ENOENT: "does not exist",
  ENOTDIR: "a file is in the way",
  EISDIR: "is a directory",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "read-only file system",
  EEXIST: "already exists",
};

/**
 * Writes `err` as one line on stderr (with its stack after it when `debug`) and
 * returns the exit code: 2 for input the operator can fix, 1 for anything else.
 */
export function reportFailure(err: unknown, debug = false): number {
  const { line, code } = describeFailure(err);
  process.stderr.write(`${line.replace(/\s*\n\s*/g, " ")}\n`);
  if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  return code;
}

function describeFailure(err: unknown): { line: string; code: number } {
  if (err instanceof TrailproofError) {
    const problems = err.problems.map((p) => `${p.pointer || "/"}: ${p.message}`);
    return { line: [`error ${err.code}: ${err.message}`, ...problems].join("; "), code: 2 };
  }
  const sys = err as { code?: unknown; path?: unknown; syscall?: unknown };
  if (sys.code === "ERR_SOCKET_BAD_PORT") {
    return { line: "error CONFIG_INVALID: the port must be from 0 to 65535: fix --port or TRAILPROOF_PORT", code: 2 };
  }
  if (err instanceof Error && typeof sys.code === "string" && typeof sys.path === "string") {
    const why = PATH_CODES[sys.code] ?? sys.code;
    return { line: `error FILE_UNUSABLE: cannot ${String(sys.syscall ?? "open")} ${sys.path} (${why})`, code: 2 };
  }
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return { line: `error: ${message} (run with --debug for the stack)`, code: 1 };
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
