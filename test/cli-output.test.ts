// What `key create` and `tenant list` print, as a person and a script read it:
// the real built CLI over a fresh data directory.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { trailproof } from "./run-cli.js";

let data: string;

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), "trailproof-cli-output-"));
  for (const name of ["acme", "beta"]) {
    const made = await trailproof(["tenant", "create", name, "--data", data]);
    expect(made.code, made.stderr).toBe(0);
  }
}, 60_000);

describe("trailproof tenant create", () => {
  it("issues a second approver's admin key with --second-approver, shown once beside the first", async () => {
    // Its own directory: the tenant list below reads exactly acme and beta.
    const own = mkdtempSync(join(tmpdir(), "trailproof-cli-approver-"));
    const made = await trailproof(["tenant", "create", "gamma", "--data", own, "--second-approver", "Bob"]);
    expect(made.code, made.stderr).toBe(0);
    const first = /^admin key \(shown once\) (tpk_\S+)$/m.exec(made.stdout)?.[1];
    const second = /^second approver's admin key \(shown once\) (tpk_\S+)$/m.exec(made.stdout)?.[1];
    expect(first, made.stdout).toBeDefined();
    expect(second, made.stdout).toBeDefined();
    expect(second).not.toBe(first);
    const json = await trailproof(["tenant", "create", "delta", "--data", own, "--json"]);
    expect(JSON.parse(json.stdout)).not.toHaveProperty("second_admin_key");
  });
});

describe("trailproof key create", () => {
  it("prints the key with its id, role and that it is shown once", async () => {
    const made = await trailproof(["key", "create", "--data", data, "--tenant", "acme", "--role", "viewer"]);
    expect(made.code, made.stderr).toBe(0);
    const [about, shown] = made.stdout.trimEnd().split("\n");
    const keyId = /^created viewer key ([0-9a-f]{16}) \("cli key"\) in tenant acme$/.exec(about ?? "")?.[1];
    expect(keyId, made.stdout).toBeDefined();
    expect(shown).toMatch(new RegExp(`^key \\(shown once; only its hash is stored\\) tpk_${keyId}_[A-Za-z0-9_-]{43}$`));
    // The printed id is the key's real handle.
    const revoked = await trailproof(["key", "revoke", keyId as string, "--data", data, "--tenant", "acme"]);
    expect(revoked).toMatchObject({ code: 0, stdout: `revoked ${keyId}\n` });
  });

  it("prints the API's fields with --json", async () => {
    const made = await trailproof(["key", "create", "--data", data, "--tenant", "beta", "--role", "ingest", "--json"]);
    expect(made.code, made.stderr).toBe(0);
    const out = JSON.parse(made.stdout);
    expect(out).toEqual({
      key: expect.stringMatching(new RegExp(`^tpk_${out.key_id}_`)),
      key_id: expect.stringMatching(/^[0-9a-f]{16}$/),
      tenant: "beta",
      role: "ingest",
      name: "cli key",
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      created_by: "cli",
    });
  });

  it("issues a platform operator key with --role operator and no tenant", async () => {
    const made = await trailproof(["key", "create", "--data", data, "--role", "operator", "--name", "recovered"]);
    expect(made.code, made.stderr).toBe(0);
    const [about, shown] = made.stdout.trimEnd().split("\n");
    const keyId = /^created operator key ([0-9a-f]{16}) \("recovered"\) for the platform /.exec(about ?? "")?.[1];
    expect(keyId, made.stdout).toBeDefined();
    expect(shown).toMatch(new RegExp(`^key \\(shown once; only its hash is stored\\) tpk_${keyId}_`));
  });

  it("refuses an unknown role with the API's code for it, exit 2", async () => {
    const bad = await trailproof(["key", "create", "--data", data, "--tenant", "acme", "--role", "owner"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^error REQUEST_INVALID: --role owner is not a role: use ingest, viewer, auditor or admin \(or operator, with no --tenant\)/,
    );
    expect(bad.stdout).toBe("");
  });
});

describe("trailproof tenant list", () => {
  it("prints a table with a header row and a row per tenant", async () => {
    const listed = await trailproof(["tenant", "list", "--data", data]);
    expect(listed.code, listed.stderr).toBe(0);
    const rows = listed.stdout
      .trimEnd()
      .split("\n")
      .map((line) => line.split(/ {2,}/));
    expect(rows[0]).toEqual(["tenant", "origin", "tree_size", "created_at"]);
    expect(rows.slice(1).map((r) => r.slice(0, 2))).toEqual([
      ["acme", "trailproof.localhost/log/acme"],
      ["beta", "trailproof.localhost/log/beta"],
    ]);
    for (const row of rows.slice(1)) {
      expect(row[2]).toMatch(/^[1-9]\d*$/);
      expect(row[3]).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
    // Columns line up: every cell starts where its column's header does.
    const cellStarts = (line: string) => [...line.matchAll(/(?:^| {2,})\S/g)].map((m) => m.index + m[0].length - 1);
    const [header, ...body] = listed.stdout.trimEnd().split("\n");
    for (const line of body) expect(cellStarts(line)).toEqual(cellStarts(header as string));
  });

  it("prints GET /v1/tenants's snake_case shape with --json", async () => {
    const listed = await trailproof(["tenant", "list", "--data", data, "--json"]);
    expect(listed.code, listed.stderr).toBe(0);
    const out = JSON.parse(listed.stdout) as { tenants: Record<string, unknown>[] };
    expect(Object.keys(out)).toEqual(["tenants"]);
    expect(out.tenants.map((t) => t.tenant)).toEqual(["acme", "beta"]);
    for (const t of out.tenants) {
      expect(Object.keys(t).sort()).toEqual(["created_at", "origin", "tenant", "tree_size"]);
      expect(t.tree_size).toBeTypeOf("number");
    }
  });
});
