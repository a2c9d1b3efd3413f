// `trailproof platform-key create|list|revoke` through the real built CLI over
// a fresh data directory: the key shown once, listed without its secret, in
// the API's wire shape with --json, revoked once.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { trailproof } from "./run-cli.js";

let data: string;

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), "trailproof-cli-platform-"));
  const made = await trailproof(["tenant", "create", "acme", "--data", data]);
  expect(made.code, made.stderr).toBe(0);
}, 60_000);

describe("trailproof platform-key", () => {
  it("creates a key for named tenants (--json, the API's fields), lists it without its secret, and revokes it once", async () => {
    const made = await trailproof([
      "platform-key",
      "create",
      "--data",
      data,
      "--tenants",
      "acme,beta",
      "--create-tenants",
      "--name",
      "saas",
      "--json",
    ]);
    expect(made.code, made.stderr).toBe(0);
    const out = JSON.parse(made.stdout);
    expect(out).toEqual({
      key: expect.stringMatching(new RegExp(`^tpp_${out.key_id}_[A-Za-z0-9_-]{43}$`)),
      key_id: expect.stringMatching(/^[0-9a-f]{16}$/),
      name: "saas",
      tenants: ["acme", "beta"],
      create_tenants: true,
      unknown_actions: "reject",
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      created_by: "cli",
      revoked_at: null,
    });
    const listed = await trailproof(["platform-key", "list", "--data", data, "--json"]);
    expect(listed.code, listed.stderr).toBe(0);
    const { key: _shownOnce, ...wire } = out;
    expect(JSON.parse(listed.stdout).keys).toContainEqual(wire);
    expect(listed.stdout).not.toContain(out.key);

    expect(await trailproof(["platform-key", "revoke", out.key_id, "--data", data])).toMatchObject({
      code: 0,
      stdout: `revoked ${out.key_id}\n`,
    });
    const again = await trailproof(["platform-key", "revoke", out.key_id, "--data", data]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^error KEY_NOT_FOUND: no active platform key/);
    const after = JSON.parse((await trailproof(["platform-key", "list", "--data", data, "--json"])).stdout);
    expect(after.keys.find((k: { key_id: string }) => k.key_id === out.key_id).revoked_at).toMatch(/^\d{4}-/);
  });

  it('prints a key for "all" as a person reads it, and lists it in a table', async () => {
    const made = await trailproof(["platform-key", "create", "--data", data, "--tenants", "all"]);
    expect(made.code, made.stderr).toBe(0);
    const [about, shown] = made.stdout.trimEnd().split("\n");
    const keyId = /^created platform key ([0-9a-f]{16}) \("cli platform key"\) for every tenant$/.exec(
      about ?? "",
    )?.[1];
    expect(keyId, made.stdout).toBeDefined();
    expect(shown).toMatch(new RegExp(`^key \\(shown once; only its hash is stored\\) tpp_${keyId}_`));
    const table = await trailproof(["platform-key", "list", "--data", data]);
    expect(table.stdout.split("\n")[0]).toMatch(/^KEY ID\s+NAME\s+TENANTS\s+CREATES\s+CREATED\s+REVOKED$/);
    expect(table.stdout).toMatch(new RegExp(`^${keyId}\\s+cli platform key\\s+all\\s+no\\s`, "m"));
  });

  it("refuses a malformed tenant name with exit 2, creating nothing", async () => {
    const before = JSON.parse((await trailproof(["platform-key", "list", "--data", data, "--json"])).stdout).keys;
    const bad = await trailproof(["platform-key", "create", "--data", data, "--tenants", "acme,Not Ok"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error REQUEST_INVALID/);
    const after = JSON.parse((await trailproof(["platform-key", "list", "--data", data, "--json"])).stdout).keys;
    expect(after).toEqual(before);
  });
});
