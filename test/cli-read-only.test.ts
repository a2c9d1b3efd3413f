// The read-only commands change nothing they read: on a data directory whose
// log has entries no checkpoint covers yet (the service still running, with its
// timer off), `tenant list`, `signing-key list`, `export` and `verify` sign no
// checkpoint, append nothing and write no key. The service's ledger is open in
// this process, as a running service's would be, while the real CLI runs.
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DataDir, openDataDir } from "@trailproof/ledger";
import { sampleEvents } from "@trailproof/server";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trailproof } from "./run-cli.js";

let dir: string;
let data: DataDir;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "trailproof-read-only-"));
  data = await openDataDir({ dataDir: join(dir, "data"), checkpointIntervalMs: 0 });
  await data.ledger.createTenant("acme");
  const results = await data.ledger.append("acme", sampleEvents(5, { idPrefix: "evt_read_only" }), {
    appendedBy: { type: "cli", id: "test" },
  });
  expect(results.every((r) => r.status === "created")).toBe(true);
}, 60_000);

afterAll(async () => {
  await data.ledger.close();
});

/** What a write would change: the log's rows, the checkpoints, and every key file's bytes. */
function snapshot(): Record<string, unknown> {
  const db = new Database(join(dir, "data", "tenants", "acme.db"), { readonly: true });
  const rows = {
    entries: db.prepare("SELECT count(*) AS n FROM entries").get(),
    checkpoints: db.prepare("SELECT count(*) AS n, max(tree_size) AS size FROM checkpoints").get(),
  };
  db.close();
  const keys: Record<string, string> = {};
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const file = join(path, name);
      if (statSync(file).isDirectory()) walk(file);
      else keys[file] = readFileSync(file, "base64");
    }
  };
  walk(join(dir, "data", "keys"));
  return { rows, keys, top: readdirSync(join(dir, "data")).sort() };
}

describe("read-only commands on a log with unsigned entries", () => {
  it("sign nothing, append nothing and write no key", async () => {
    const before = snapshot();
    expect(before.rows).toEqual({ entries: { n: 5 }, checkpoints: { n: 1, size: 0 } });
    const bundle = join(dir, "acme.bundle");
    for (const args of [
      ["tenant", "list"],
      ["tenant", "list", "--json"],
      ["signing-key", "list", "--tenant", "acme"],
      ["export", "--tenant", "acme", "--out", bundle],
      ["verify", "--json"],
    ]) {
      const r = await trailproof([...args, "--data", join(dir, "data")]);
      expect([0, 1], `${args.join(" ")}: ${r.stderr}`).toContain(r.code);
      expect(snapshot(), args.join(" ")).toEqual(before);
    }
  }, 120_000);

  it("export says what the bundle leaves out, and tenant list shows the whole log", async () => {
    const bundle = join(dir, "acme-2.bundle");
    const exported = await trailproof(["export", "--data", join(dir, "data"), "--tenant", "acme", "--out", bundle]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout)).toEqual({ tenant: "acme", out: bundle, tree_size: 0 });
    expect(exported.stderr).toMatch(/^note: the log's last 5 entries are not signed yet and not in the bundle/);
    const listed = await trailproof(["tenant", "list", "--data", join(dir, "data"), "--json"]);
    expect(JSON.parse(listed.stdout).tenants).toMatchObject([{ tenant: "acme", tree_size: 5 }]);
  }, 60_000);

  it("name a tenant that does not exist, creating no bundle file", async () => {
    const bundle = join(dir, "nope.bundle");
    for (const args of [
      ["export", "--tenant", "nope", "--out", bundle],
      ["signing-key", "list", "--tenant", "nope"],
    ]) {
      const r = await trailproof([...args, "--data", join(dir, "data")]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe("error TENANT_NOT_FOUND: no tenant named nope\n");
    }
    expect(readdirSync(dir)).not.toContain("nope.bundle");
  }, 60_000);
});
