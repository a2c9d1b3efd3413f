// The key vault and leases on the real server: items sealed under the master
// key, create-once across nodes, an edited or moved row refused, a lease held
// by one node at a time and taken over once it lapses.
import { hasErrorCode } from "@trailproof/core";
import { afterEach, describe, expect, it } from "vitest";
import { openPostgres, type PgSql } from "./postgres-client.js";
import { PostgresKeyVault } from "./postgres-key-vault.js";
import { PostgresLeaseStore } from "./postgres-lease.js";
import { PostgresLogStore } from "./postgres-log-store.js";
import { createTestDatabase } from "./postgres-test-database.fixture.js";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

async function database(): Promise<{ app: PgSql; owner: PgSql }> {
  const db = await createTestDatabase();
  const app = openPostgres(db.appUrl, { max: 4 });
  const owner = openPostgres(db.ownerUrl, { max: 1 });
  cleanup.push(async () => {
    await app.end({ timeout: 5 });
    await owner.end({ timeout: 5 });
    await db.drop();
  });
  for (const name of ["acme", "globex"]) {
    await new PostgresLogStore(app).createTenant({
      name,
      origin: `t/${name}`,
      unknownActions: "reject",
      createdAt: "x",
    });
  }
  return { app, owner };
}

const bytes = (s: string) => new Uint8Array(Buffer.from(s));
const masterKey = new Uint8Array(32).fill(7);

describe("PostgresKeyVault", () => {
  it("rewraps every item of a tenant under a new master key (master-key rotation), and again harmlessly", async () => {
    const { app } = await database();
    const vault = new PostgresKeyVault(app, masterKey);
    await vault.write("acme", "digest-key", bytes("d"), "secret");
    await vault.write("acme", "pseudonym-key", bytes("p"), "secret");
    const next = new Uint8Array(32).fill(9);
    expect(await vault.rewrapItems("acme", next)).toBe(2);
    const rotated = new PostgresKeyVault(app, next);
    expect(Buffer.from((await rotated.read("acme", "pseudonym-key")) as Uint8Array).toString()).toBe("p");
    await expect(vault.read("acme", "digest-key")).rejects.toSatisfy((e) => hasErrorCode(e, "KEY_ITEM_UNREADABLE"));
    expect(await vault.rewrapItems("acme", next)).toBe(0);
    // Neither key opens the items: refused, nothing written.
    const stranger = new PostgresKeyVault(app, new Uint8Array(32).fill(1));
    await expect(stranger.rewrapItems("acme", new Uint8Array(32).fill(3))).rejects.toSatisfy((e) =>
      hasErrorCode(e, "KEY_ITEM_UNREADABLE"),
    );
    expect(Buffer.from((await rotated.read("acme", "digest-key")) as Uint8Array).toString()).toBe("d");
  });

  it("keeps items sealed: the row holds no plaintext, and another master key cannot open it", async () => {
    const { app, owner } = await database();
    const vault = new PostgresKeyVault(app, masterKey);
    await vault.write("acme", "digest-key", bytes("secret-digest-key"), "secret");
    expect(Buffer.from((await vault.read("acme", "digest-key")) as Uint8Array).toString()).toBe("secret-digest-key");
    const [row] = await owner<{ sealed: Buffer }[]>`SELECT sealed FROM key_items`;
    expect(row?.sealed.includes(Buffer.from("secret-digest-key"))).toBe(false);
    const other = new PostgresKeyVault(app, new Uint8Array(32).fill(8));
    await expect(other.read("acme", "digest-key")).rejects.toSatisfy((e) => hasErrorCode(e, "KEY_ITEM_UNREADABLE"));
    expect(await vault.read("globex", "digest-key")).toBeUndefined();
  });

  it("creates an item once: two nodes creating at once agree on the first", async () => {
    const { app } = await database();
    const a = new PostgresKeyVault(app, masterKey);
    const b = new PostgresKeyVault(app, masterKey);
    const [x, y] = await Promise.all([
      a.create("acme", "signing-key.pem", bytes("from-a"), "secret"),
      b.create("acme", "signing-key.pem", bytes("from-b"), "secret"),
    ]);
    expect(Buffer.from(x).toString()).toBe(Buffer.from(y).toString());
    await a.remove("acme", "signing-key.pem");
    expect(await b.read("acme", "signing-key.pem")).toBeUndefined();
  });

  it("refuses a row moved to another tenant or name", async () => {
    const { app, owner } = await database();
    const vault = new PostgresKeyVault(app, masterKey);
    await vault.write("acme", "verifiers.json", bytes("[]"), "public");
    const [globex] = await owner<{ tenant_id: number }[]>`SELECT tenant_id FROM tenants WHERE name = 'globex'`;
    await owner`INSERT INTO key_items (tenant_id, name, sealed) SELECT ${globex?.tenant_id as number}, name, sealed FROM key_items`;
    await expect(vault.read("globex", "verifiers.json")).rejects.toSatisfy((e) =>
      hasErrorCode(e, "KEY_ITEM_UNREADABLE"),
    );
  });
});

describe("PostgresLeaseStore", () => {
  it("holds a lease for one node at a time and hands it over once it lapses", async () => {
    const { app } = await database();
    const leases = new PostgresLeaseStore(app);
    const both = await Promise.all([
      leases.acquire("checkpoint-publisher", "node-a", 300),
      leases.acquire("checkpoint-publisher", "node-b", 300),
    ]);
    expect(both.filter(Boolean)).toHaveLength(1);
    const holder = both[0] ? "node-a" : "node-b";
    const other = both[0] ? "node-b" : "node-a";
    expect(await leases.acquire("checkpoint-publisher", holder, 300)).toBe(true);
    expect(await leases.acquire("checkpoint-publisher", other, 300)).toBe(false);
    await new Promise((r) => setTimeout(r, 400));
    expect(await leases.acquire("checkpoint-publisher", other, 300)).toBe(true);
    await leases.release("checkpoint-publisher", other);
    expect(await leases.acquire("checkpoint-publisher", holder, 300)).toBe(true);
  });
});
