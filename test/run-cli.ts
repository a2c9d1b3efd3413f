// Runs the built `trailproof` command as a user would: a real process, its
// exit code, stdout and stderr (exit codes are the contract scripts rely on).
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
export const ROOT = join(import.meta.dirname, "..");
export const TRAILPROOF_BIN = join(ROOT, "apps/cli/bin/trailproof.js");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `trailproof ...args` with `env` over this process's environment (no TRAILPROOF_* leaks in). */
export async function trailproof(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("TRAILPROOF_")));
  try {
    const { stdout, stderr } = await run(process.execPath, [TRAILPROOF_BIN, ...args], {
      cwd: ROOT,
      env: { ...clean, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
