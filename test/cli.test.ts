// The trailproof command as a user runs it: a real process, a real data
// directory, exit codes that scripts can rely on.
import { execFile } from "node:child_process";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const bin = join(import.meta.dirname, "../apps/cli/bin/trailproof.js");

async function trailproof(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd: join(import.meta.dirname, "..") });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("trailproof CLI", () => {
  it("runs the demo, verifies, exports, verifies the bundle, and fails on tampering", async () => {
    const data = mkdtempSync(join(tmpdir(), "trailproof-cli-"));
    const demo = await trailproof("demo", "--data", data, "--events", "120");
    expect(demo.code).toBe(0);
    expect(demo.stdout).toContain("120 events appended");
    const key = /Verifier key \(pin it\): (\S+)/.exec(demo.stdout)?.[1] as string;
    expect(key).toMatch(/^trailproof\.localhost\/log\/demo\+[0-9a-f]{8}\+/);
    expect(statSync(join(data, "keys/demo/signing-key.pem")).mode & 0o777).toBe(0o600);

    const verified = await trailproof("verify", "--data", data, "--json");
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject([{ tenant: "demo", treeSize: 120, ok: true }]);

    const bundle = join(data, "demo.bundle");
    expect((await trailproof("export", "--data", data, "--tenant", "demo", "--out", bundle)).code).toBe(0);
    const offline = await trailproof("verify", "--bundle", bundle, "--key", key);
    expect(offline.code).toBe(0);
    expect(offline.stdout).toContain("OK demo: 120 entries");

    const db = new Database(join(data, "tenants", "demo.db"));
    db.exec("DROP TRIGGER entries_no_delete");
    db.prepare("DELETE FROM entries WHERE idx = 42").run();
    db.close();
    const tampered = await trailproof("verify", "--data", data, "--tenant", "demo");
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain("ENTRY_MISSING at index 42");
  });

  it("exits 2 with the error code on bad input", async () => {
    const data = mkdtempSync(join(tmpdir(), "trailproof-cli-"));
    const bad = await trailproof("tenant", "create", "Not Valid", "--data", data);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("TENANT_NAME_INVALID");
    const created = await trailproof("tenant", "create", "acme", "--data", data, "--json");
    expect(JSON.parse(created.stdout)).toMatchObject({ tenant: "acme", origin: "trailproof.localhost/log/acme" });
  });
});
