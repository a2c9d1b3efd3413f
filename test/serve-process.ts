// `trailproof serve` as a real child process for tests: started with
// `--port 0 --no-demo`, its stdout lines gathered, its URL read from them, and
// stopped with a signal (SIGKILL for a crash). afterEach kills what serve
// left; startServe leaves that to its caller.
import { type ChildProcess, spawn } from "node:child_process";
import { afterEach, expect } from "vitest";
import { ROOT, TRAILPROOF_BIN } from "./run-cli.js";

export interface Serving {
  proc: ChildProcess;
  /** Every stdout line so far. */
  lines: string[];
  url: string;
  exited: Promise<number | null>;
}

const running: ChildProcess[] = [];
afterEach(() => {
  for (const proc of running.splice(0)) if (proc.exitCode === null) proc.kill("SIGKILL");
});

/** Starts `trailproof serve ...args` and resolves once it printed its URL and first-start lines; killed after each test. */
export async function serve(args: string[], extraEnv: Record<string, string> = {}): Promise<Serving> {
  return startServe(args, extraEnv, running);
}

/**
 * As serve, but the process goes into `tracked` as soon as it is spawned, for
 * a caller that keeps it across tests (started in beforeAll) and kills what
 * is left itself.
 */
export async function startServe(
  args: string[],
  extraEnv: Record<string, string>,
  tracked: ChildProcess[],
): Promise<Serving> {
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("TRAILPROOF_"))),
    ...extraEnv,
  };
  const proc = spawn(process.execPath, [TRAILPROOF_BIN, "serve", "--port", "0", "--no-demo", ...args], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  tracked.push(proc);
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  const lines: string[] = [];
  let stderr = "";
  proc.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = "";
    proc.stdout?.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split("\n");
      buffered = parts.pop() ?? "";
      lines.push(...parts);
      // The lines after the URL's are printed in the same turn: wait for the line that ends them.
      const at = lines.findIndex((l) => l.startsWith("Trailproof listening on "));
      if (at >= 0 && lines.slice(at).some((l) => /^(operator key|keys are shown once)/.test(l))) {
        resolve(/^Trailproof listening on (\S+)/.exec(lines[at] as string)?.[1] as string);
      }
    });
    void exited.then((code) => reject(new Error(`serve exited (${code}) before listening: ${stderr}`)));
  });
  return { proc, lines, url, exited };
}

/** Sends `signal` and resolves with the exit code once the process has printed its last line. */
export async function stop(s: Serving, signal: NodeJS.Signals = "SIGINT"): Promise<number | null> {
  s.proc.kill(signal);
  const code = await s.exited;
  return code;
}

export function field(lines: string[], pattern: RegExp): string {
  const match = lines.map((l) => pattern.exec(l)).find((m) => m !== null);
  expect(match, lines.join("\n")).toBeDefined();
  return match?.[1] as string;
}
