// Builds the console (vite build of apps/console) when its dist is missing or
// older than any source it bundles, so the server under test serves what the
// sources say. A lock directory keeps parallel test files from building twice.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
export const CONSOLE_DIR = join(ROOT, "apps/console");
export const CONSOLE_DIST = join(CONSOLE_DIR, "dist");

const SOURCES = [
  join(CONSOLE_DIR, "src"),
  join(CONSOLE_DIR, "public"),
  join(CONSOLE_DIR, "index.html"),
  join(CONSOLE_DIR, "vite.config.ts"),
  join(CONSOLE_DIR, "package.json"),
  join(ROOT, "packages/core/src"),
  join(ROOT, "packages/protocol/src"),
];

function newestMtimeMs(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtimeMs(join(path, entry)));
  return newest;
}

export function consoleBuildIsStale(): boolean {
  const index = join(CONSOLE_DIST, "index.html");
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return SOURCES.some((s) => newestMtimeMs(s) > built);
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Builds the console if stale; returns whether it built. Safe to call from several processes. */
export function ensureConsoleBuilt(): boolean {
  if (!consoleBuildIsStale()) return false;
  const lock = join(ROOT, ".tmp/console-build.lock");
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another process is building; a lock older than two minutes is abandoned.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000)
        rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error("timed out waiting for another console build");
      sleep(250);
    }
  }
  try {
    if (!consoleBuildIsStale()) return false;
    execFileSync(
      process.execPath,
      [join(ROOT, "node_modules/vite/bin/vite.js"), "build", CONSOLE_DIR, "--logLevel", "warn"],
      {
        cwd: ROOT,
        // vitest sets NODE_ENV=test, which vite would bake into the bundle: React's development
        // build, whose StrictMode runs every effect twice (two of every request). Test what ships.
        env: { ...process.env, NODE_ENV: "production" },
        stdio: ["ignore", "inherit", "inherit"],
      },
    );
    return true;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
