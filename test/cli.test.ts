// The trailproof command as a user runs it: a real process, a real data
// directory, exit codes that scripts can rely on.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { type CliResult, ROOT, trailproof as runCli } from "./run-cli.js";

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
  it("runs the demo, verifies, exports, verifies the bundle, and fails on tampering", {
    timeout: 120_000,
  }, async () => {
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

  it("refuses a missing data directory in every command that needs one, creating nothing", async () => {
    const missing = join(mkdtempSync(join(tmpdir(), "trailproof-cli-")), "nope");
    for (const args of [
      ["verify"],
      ["export", "--tenant", "demo", "--out", join(tmpdir(), "never.bundle")],
      ["tenant", "list"],
      ["signing-key", "list", "--tenant", "demo"],
      ["checkpoint", "--tenant", "demo"],
      ["ingest", "--tenant", "demo", "--file", "-"],
    ]) {
      const r = await runCli([...args, "--data", missing]);
      expectOneLine(r, missing);
      expect(r.stderr).toContain("DATA_DIR_NOT_FOUND");
      expect(existsSync(missing), args.join(" ")).toBe(false);
    }
  });

  it("answers bad input with one line naming the value, exit 2, and the stack only with --debug", {
    timeout: 120_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "trailproof-cli-"));
    const file = join(dir, "a-file");
    writeFileSync(file, "");
    const closed = await closedPort();
    const cases: [string[], Record<string, string>, string][] = [
      [["serve", "--port", "abc", "--data", join(dir, "d")], {}, '"abc"'],
      [["serve", "--data", join(dir, "d")], { TRAILPROOF_PORT: "eighty" }, '"eighty"'],
      [["demo", "--data", file], {}, file],
      [["demo", "--data", join(file, "below")], {}, join(file, "below")],
      [["verify", "--data", file], {}, file],
      [["demo", "--data", join(dir, "d"), "--events", "lots"], {}, '"lots"'],
      [["ingest", "--tenant", "demo", "--data", join(dir, "d")], {}, "--file"],
      [["ingest", "--tenant", "demo", "--data", join(dir, "d"), "--file", join(dir, "none.ndjson")], {}, "none.ndjson"],
      [["key", "create", "--data", join(dir, "d"), "--role", "viewer"], {}, "--tenant"],
      [["key", "create", "--data", join(dir, "d"), "--role", "operator", "--tenant", "demo"], {}, "--tenant"],
      // Where nothing listens: one line naming the address, not "fetch failed" or a connect stack.
      [
        ["verify", "--data", join(dir, "d"), "--checkpoint", `http://127.0.0.1:${closed}/cp`],
        {},
        `127.0.0.1:${closed}`,
      ],
      [["migrate", "--database", `postgres://owner@127.0.0.1:${closed}/x`], {}, `127.0.0.1:${closed}`],
    ];
    // --data d must exist for the ingest cases: a demo creates it.
    expect((await runCli(["demo", "--data", join(dir, "d"), "--events", "1"])).code).toBe(0);
    for (const [args, env, named] of cases) expectOneLine(await runCli(args, env), named);

    const debug = await runCli(["verify", "--data", file, "--debug"]);
    expect(debug.code).toBe(2);
    expect(debug.stderr).toMatch(/^ {4}at /m);
  });

  it("names the broken line of an ingest file by its number", async () => {
    const data = mkdtempSync(join(tmpdir(), "trailproof-cli-"));
    expect((await runCli(["demo", "--data", data, "--events", "1"])).code).toBe(0);
    const file = join(data, "events.ndjson");
    writeFileSync(file, '\n{"action": "x"}\n{"broken\n');
    const r = await runCli(["ingest", "--data", data, "--tenant", "demo", "--file", file]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as {
      rejected: number;
      first_rejections: { line: number; problems: { message: string }[] }[];
    };
    expect(out.rejected).toBe(2);
    expect(out.first_rejections.map((x) => x.line)).toEqual([2, 3]);
    expect(out.first_rejections[1]?.problems[0]?.message).toContain("line 3 is not JSON");
  });

  it("prints its version and a description for every command", { timeout: 180_000 }, async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "apps/cli/package.json"), "utf8")) as { version: string };
    const v = await runCli(["--version"]);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toBe(version);

    const names = await commandsOf([]);
    expect(names).toEqual(expect.arrayContaining(["verify", "tenant list", "key create", "signing-key list"]));
  });
});

/** A port on 127.0.0.1 that nothing listens on (it just did, and closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Exit 2, exactly one line on stderr naming `named`, and no stack frame. */
function expectOneLine(r: CliResult, named: string): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trimEnd().split("\n"), r.stderr).toHaveLength(1);
  expect(r.stderr).toContain(named);
  expect(r.stderr).not.toContain("    at ");
}

/** Every command under `path` by its full name, failing on any whose --help line has no description. */
async function commandsOf(path: string[]): Promise<string[]> {
  const help = await runCli([...path, "--help"]);
  expect(help.code).toBe(0);
  const section = help.stdout.split(/^Commands:$/m)[1] ?? "";
  const children: string[][] = [];
  for (const line of section.split("\n").filter((l) => /^ {2}\S/.test(l))) {
    const [, usage, description] = /^ {2}(\S+(?: [<[]\S+)*)\s*(.*)$/.exec(line) ?? [];
    const name = (usage ?? "").split(" ")[0] as string;
    if (name === "help") continue;
    expect(description, `${[...path, name].join(" ")} has no description`).not.toBe("");
    children.push([...path, name]);
  }
  // Siblings' help at once: about twenty processes, one after another, outlast the timeout on a busy machine.
  const below = await Promise.all(children.map((child) => commandsOf(child)));
  return children.flatMap((child, i) => [child.join(" "), ...(below[i] as string[])]);
}
