// Where the stores are: the data directory or a PostgreSQL database, each
// flag over its variable, and the settings that cannot work refused with
// CONFIG_INVALID in one line naming the setting (never echoing a password).
import { hasErrorCode } from "@trailproof/core";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";
import { databaseOptionsOf, loadStoreConfig, type StoreFlags } from "./store-config.js";

const PG = "postgres://trailproof_app@db.internal:5432/trailproof";

function refusal(env: NodeJS.ProcessEnv, flags: StoreFlags = {}): string {
  try {
    loadStoreConfig(env, flags);
  } catch (err) {
    if (!hasErrorCode(err, "CONFIG_INVALID")) throw err;
    return err.message;
  }
  throw new Error("loadStoreConfig accepted it");
}

describe("loadStoreConfig", () => {
  it("is the data directory ./data by default, and the database when TRAILPROOF_DATABASE_URL is set", () => {
    expect(databaseOptionsOf(loadStoreConfig({}))).toEqual({ dataDir: "./data", sqliteCacheMib: 32 });
    expect(
      databaseOptionsOf(
        loadStoreConfig({
          TRAILPROOF_DATABASE_URL: PG,
          TRAILPROOF_MASTER_KEY_FILE: "/etc/trailproof/master.key",
          TRAILPROOF_MIGRATE_DATABASE_URL: "postgresql://owner@db.internal/trailproof",
          TRAILPROOF_DATABASE_POOL_SIZE: "25",
          TRAILPROOF_NODE_ID: "node-a",
        }),
      ),
    ).toEqual({
      database: PG,
      masterKeyFile: "/etc/trailproof/master.key",
      migrateDatabase: "postgresql://owner@db.internal/trailproof",
      poolSize: 25,
      nodeId: "node-a",
    });
  });

  it("lets a flag win over its variable, --data over TRAILPROOF_DATABASE_URL too", () => {
    expect(loadStoreConfig({ TRAILPROOF_DATA: "/var/tp" }, { database: PG }).database).toBe(PG);
    const data = loadStoreConfig({ TRAILPROOF_DATABASE_URL: PG }, { data: "./here" });
    expect(data).toMatchObject({ dataDir: "./here" });
    expect(data.database).toBeUndefined();
    expect(loadStoreConfig({ TRAILPROOF_MASTER_KEY_FILE: "a" }, { masterKeyFile: "b" }).masterKeyFile).toBe("b");
  });

  it("refuses two stores named at the same level", () => {
    expect(refusal({}, { data: "./x", database: PG })).toBe(
      "--data and --database name two different stores: give one",
    );
    expect(refusal({ TRAILPROOF_DATA: "./x", TRAILPROOF_DATABASE_URL: PG })).toBe(
      "TRAILPROOF_DATA and TRAILPROOF_DATABASE_URL name two different stores: set one",
    );
  });

  it.each([
    [
      { TRAILPROOF_DATABASE_URL: "mysql://root:hunter2@db/x" },
      {},
      'TRAILPROOF_DATABASE_URL must be a postgres:// URL, not "mysql://root:***@db/x"',
    ],
    [{}, { database: "./data.db" }, '--database must be a postgres:// URL, not "(unparsable database URL)"'],
    [{ TRAILPROOF_MIGRATE_DATABASE_URL: "owner@db" }, {}, "TRAILPROOF_MIGRATE_DATABASE_URL must be a postgres:// URL"],
    [{}, { migrateDatabase: "http://db" }, "--migrate-database must be a postgres:// URL"],
    [{ TRAILPROOF_DATABASE_POOL_SIZE: "0" }, {}, 'TRAILPROOF_DATABASE_POOL_SIZE must be a positive integer, not "0"'],
    [
      { TRAILPROOF_DATABASE_POOL_SIZE: "2.5" },
      {},
      'TRAILPROOF_DATABASE_POOL_SIZE must be a positive integer, not "2.5"',
    ],
    [
      { TRAILPROOF_DATABASE_POOL_SIZE: "ten" },
      {},
      'TRAILPROOF_DATABASE_POOL_SIZE must be a positive integer, not "ten"',
    ],
    [{ TRAILPROOF_SQLITE_CACHE_MIB: "0" }, {}, 'TRAILPROOF_SQLITE_CACHE_MIB must be a positive integer, not "0"'],
    [{ TRAILPROOF_SQLITE_CACHE_MIB: "1GB" }, {}, 'TRAILPROOF_SQLITE_CACHE_MIB must be a positive integer, not "1GB"'],
  ] as const)("refuses %j %j, naming the setting", (env, flags, message) => {
    const said = refusal(env, flags);
    expect(said).toContain(message);
    expect(said).not.toContain("hunter2");
  });
});

describe("loadConfig's store", () => {
  it("takes serve's flags as overrides and keeps every other setting", () => {
    const config = loadConfig({ TRAILPROOF_DATA: "./env", TRAILPROOF_PORT: "9000" }, { database: PG, port: 0 });
    expect(config).toMatchObject({ database: PG, port: 0, databasePoolSize: 10 });
  });

  it("takes the embedded store's page cache per tenant file from TRAILPROOF_SQLITE_CACHE_MIB (32 by default)", () => {
    expect(loadConfig({}).sqliteCacheMib).toBe(32);
    const config = loadConfig({ TRAILPROOF_DATA: "./env", TRAILPROOF_SQLITE_CACHE_MIB: "256" });
    expect(databaseOptionsOf(config)).toEqual({ dataDir: "./env", sqliteCacheMib: 256 });
  });

  it("refuses --data with --database as serve flags", () => {
    expect(() => loadConfig({}, { dataDir: "./x", database: PG })).toThrow("--data and --database");
  });
});
