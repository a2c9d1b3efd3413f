// The command-line options bench:soak and bench:overload share (where the
// service runs, how the maximum is measured, when a request is given up on),
// declared once for node:util parseArgs and resolved once.
import { mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const LOAD_RUN_USAGE =
  "[--measure-seconds 20] [--timeout-ms 10000] [--server-log-level info] [--dir D] [--keep]";

export const LOAD_RUN_ARGS = {
  "measure-seconds": { type: "string", default: "20" },
  "timeout-ms": { type: "string", default: "10000" },
  "server-log-level": { type: "string", default: "info" },
  dir: { type: "string" },
  keep: { type: "boolean", default: false },
  help: { type: "boolean", default: false },
} as const;

export interface LoadRunOptions {
  /** Length of the closed-loop maximum's measurement. */
  measureSeconds: number;
  /** A request unanswered this long after its scheduled send is an error. */
  timeoutMs: number;
  serverLogLevel: string;
  /** Working directory (the service's data directory goes in it); removed at the end unless given or kept. */
  dir: string;
  dirGiven: boolean;
  keep: boolean;
  outDir: string;
}

/** A number option that must be positive (or at least `min`). */
export function positiveOption(name: string, value: string, min = Number.MIN_VALUE): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name} takes a number of at least ${min}, not ${value}`);
  return n;
}

export function resolveLoadRun(
  values: {
    "measure-seconds": string;
    "timeout-ms": string;
    "server-log-level": string;
    dir?: string;
    keep: boolean;
  },
  prefix: string,
): LoadRunOptions {
  if (values.dir !== undefined) {
    mkdirSync(values.dir, { recursive: true });
    if (readdirSync(values.dir).length > 0) throw new Error(`--dir ${values.dir} must be new or empty`);
  }
  return {
    measureSeconds: positiveOption("measure-seconds", values["measure-seconds"], 1),
    timeoutMs: positiveOption("timeout-ms", values["timeout-ms"], 100),
    serverLogLevel: values["server-log-level"],
    dir: values.dir ?? mkdtempSync(join(tmpdir(), prefix)),
    dirGiven: values.dir !== undefined,
    keep: values.keep,
    outDir: new URL("./out/", import.meta.url).pathname,
  };
}
