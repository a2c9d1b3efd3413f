// A data directory the user may not write: every command answers one line
// naming the directory and the fix, exit 2. The refusal is real: root is not
// refused by file modes, so as root (CI) the CLI runs as `nobody` (setpriv),
// on directories root made; as anyone else, as that user.
import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { type CliResult, ROOT, TRAILPROOF_BIN, trailproof } from "./run-cli.js";

const run = promisify(execFile);
const asRoot = process.getuid?.() === 0;

/** `trailproof ...args` as a user without root's override of file modes. */
async function unprivileged(args: string[]): Promise<CliResult> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("TRAILPROOF_")));
  const node = [process.execPath, TRAILPROOF_BIN, ...args];
  const [file, ...argv] = asRoot ? ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", ...node] : node;
  try {
    const { stdout, stderr } = await run(file as string, argv, { cwd: ROOT, env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let parent: string;
let existing: string;

beforeAll(async () => {
  // Readable and searchable by everyone, writable by its owner only.
  parent = mkdtempSync(join(tmpdir(), "trailproof-access-"));
  chmodSync(parent, 0o755);
  existing = join(parent, "data");
  const made = await trailproof(["demo", "--data", existing, "--events", "1"]);
  expect(made.code, made.stderr).toBe(0);
}, 60_000);

function expectRefusal(r: CliResult, dir: string): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trimEnd().split("\n"), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(/^error DATA_DIR_UNUSABLE: cannot use data directory /);
  expect(r.stderr).toContain(`${dir} (`);
  expect(r.stderr).toContain("run trailproof as a user who may write it, or pass --data");
  expect(r.stderr).not.toContain("    at ");
}

describe("a data directory the user may not write", () => {
  it("is refused in one line by the commands that would create it, creating nothing", async () => {
    const fresh = join(parent, "fresh");
    for (const args of [["serve", "--port", "0"], ["demo", "--events", "1"], ["init"]]) {
      const r = await unprivileged([...args, "--data", fresh]);
      expectRefusal(r, fresh);
      expect(r.stderr).toContain("permission denied, EACCES");
    }
    expect(existsSync(fresh)).toBe(false);
  }, 90_000);

  it("is refused in one line by the commands that open an existing one", async () => {
    for (const args of [
      ["serve", "--port", "0"],
      ["tenant", "list"],
      ["verify"],
      ["export", "--tenant", "demo", "--out", join(tmpdir(), "never-written.bundle")],
      ["key", "create", "--role", "operator"],
      ["checkpoint", "--tenant", "demo"],
    ]) {
      expectRefusal(await unprivileged([...args, "--data", existing]), existing);
    }
  }, 120_000);
});
