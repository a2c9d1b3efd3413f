// The service in a child process for the reliability suite: the compiled
// `trailproof serve` (as `npm start` runs it, bench/server-child.ts's bin) on a
// data directory, port 0, its output kept for diagnosis, and a handle that can
// see it die (a crash is a finding) and kill it with SIGKILL (the kill loop).
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { trailproofBin } from "../../bench/server-child.js";

export interface ServiceProcess {
  pid: number;
  url: string;
  /** Printed on the first start of a data directory only. */
  operatorKey: string | null;
  /** Resolves when the process exits, however it exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** True once the process has exited. */
  readonly dead: boolean;
  /** The last 64 KiB the process printed (its log goes to stdout). */
  output(): string;
  /** Log lines at level error or fatal (pino levels 50 and 60), the first 200. */
  errors(): string[];
  /** SIGKILL, then wait for the exit. */
  kill(): Promise<void>;
  /** SIGTERM (a graceful stop), then wait; SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ServiceOptions {
  dataDir: string;
  /** Extra environment (TRAILPROOF_* settings) over the defaults below. */
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

const LISTENING = /^Trailproof listening on (\S+)/m;
const OPERATOR_KEY = /^operator key \(shown once[^)]*\): (\S+)/m;
const KEEP_BYTES = 64 * 1024;

export function startService(options: ServiceOptions): Promise<ServiceProcess> {
  const fresh = readdirSync(options.dataDir).length === 0;
  // As under `npm start`: no NODE_OPTIONS of ours (vitest's source condition, say).
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  const child = spawn(
    process.execPath,
    [trailproofBin(), "serve", "--data", options.dataDir, "--host", "127.0.0.1", "--port", "0", "--no-demo"],
    {
      env: {
        ...env,
        TRAILPROOF_LOG_LEVEL: "warn",
        // The suite sends far more requests per key than the default per-minute limit allows.
        TRAILPROOF_RATE_LIMIT_PER_MINUTE: "100000000",
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let printed = "";
  let dead = false;
  let partialLine = "";
  const errors: string[] = [];
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    printed += text;
    if (printed.length > 2 * KEEP_BYTES) printed = printed.slice(-KEEP_BYTES);
    const lines = (partialLine + text).split("\n");
    partialLine = lines.pop() ?? "";
    for (const line of lines) if (/"level":(5|6)0\b/.test(line) && errors.length < 200) errors.push(line);
  };
  // Read both pipes to the end, or a full pipe would stall the service.
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      dead = true;
      resolve({ code, signal });
    }),
  );
  const stop = async (graceMs = 60_000) => {
    if (!dead) child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    const result = await exited;
    clearTimeout(timer);
    return result;
  };
  return new Promise((resolve, reject) => {
    const startTimeoutMs = options.startTimeoutMs ?? 60_000;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the service did not start within ${startTimeoutMs} ms:\n${printed.slice(-4000)}`));
    }, startTimeoutMs);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the service exited (${code ?? signal}) before it was ready:\n${printed.slice(-4000)}`));
    });
    const ready = () => {
      const url = LISTENING.exec(printed)?.[1];
      const operatorKey = OPERATOR_KEY.exec(printed)?.[1] ?? null;
      if (!url || (fresh && !operatorKey)) return;
      child.stdout.off("data", ready);
      clearTimeout(timer);
      resolve({
        pid: child.pid as number,
        url,
        operatorKey,
        exited,
        get dead() {
          return dead;
        },
        output: () => printed.slice(-KEEP_BYTES),
        errors: () => [...errors],
        kill: async () => {
          if (!dead) child.kill("SIGKILL");
          await exited;
        },
        stop,
      });
    };
    child.stdout.on("data", ready);
  });
}
