// vitest globalSetup: compile the packages before any suite runs, so tests that
// start the built CLI or server (cli.test.ts, production-start.test.ts) run the
// JavaScript the current sources compile to. The build rewrites only changed
// files, atomically, so concurrent test runs never read a half-written module.
import { execFileSync } from "node:child_process";
import { join } from "node:path";

export function setup(): void {
  const root = join(import.meta.dirname, "..");
  execFileSync(process.execPath, [join(root, "scripts/build.mjs")], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
}
