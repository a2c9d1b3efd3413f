// `trailproof master-key create FILE`: the key that wraps every subject's
// data key (both stores) and seals tenants' signing and digest keys in a
// PostgreSQL database. Every node of one database MUST be given the same
// file; losing it loses the keys, so it is never overwritten.
// `trailproof master-key rotate`: rewraps every subject data key under a new
// master key (docs/runbooks/master-key-rotation.md).
import { join } from "node:path";
import { TrailproofError } from "@trailproof/core";
import {
  createMasterKey,
  DATA_DIR_MASTER_KEY,
  openPostgres,
  openPostgresStores,
  openSqliteStores,
  type PgSql,
  readMasterKey,
  rotateMasterKey,
} from "@trailproof/ledger";
import type { Command } from "commander";
import { requireExistingDataDir, storeOf } from "../data-dir.js";

export function registerMasterKeyCommands(program: Command): void {
  const masterKey = program
    .command("master-key")
    .description("the master key that seals the tenants' keys in a PostgreSQL database");
  masterKey
    .command("create <file>")
    .description("write a new master key (32 random bytes, base64, mode 0600); refuses to overwrite an existing file")
    .action((file: string) => {
      try {
        createMasterKey(file);
      } catch (err) {
        throw unwritable(err, file);
      }
      process.stdout.write(
        [
          `wrote a new master key to ${file} (mode 0600)`,
          "every node of the database needs this same file (--master-key-file or TRAILPROOF_MASTER_KEY_FILE);",
          "keep a copy apart from the database's backups: without it the keys sealed there cannot be opened",
          "",
        ].join("\n"),
      );
    });
  masterKey
    .command("rotate")
    .description(
      "rewrap every subject data key from --old to --new, one transaction per tenant; stop the service first (docs/runbooks/master-key-rotation.md)",
    )
    .option("--data <dir>", "data directory of the embedded SQLite store (TRAILPROOF_DATA, default ./data)")
    .option("--database <url>", "a PostgreSQL database (as the app role) instead of a data directory")
    .option("--old <file>", "the master key in use (default: <data>/master.key)")
    .requiredOption("--new <file>", "the new master key (`trailproof master-key create FILE`)")
    .action(async (opts: { data?: string; database?: string; old?: string; new: string }) => {
      const store = storeOf({ data: opts.data, database: opts.database });
      const newKey = readMasterKey(opts.new);
      let log: import("@trailproof/ledger").LogStore;
      let sql: PgSql | undefined;
      let oldFile = opts.old;
      if (store.database === undefined) {
        requireExistingDataDir({ data: opts.data });
        oldFile ??= join(store.dataDir as string, DATA_DIR_MASTER_KEY);
        log = openSqliteStores(store.dataDir as string).log;
      } else {
        if (oldFile === undefined) throw new TrailproofError("MASTER_KEY_INVALID", "with --database, name --old FILE");
        sql = openPostgres(store.database, { max: 2, applicationName: "trailproof-rotate" });
        const stores = openPostgresStores(sql, readMasterKey(oldFile));
        log = stores.log;
        // The key vault's items (signing, digest, pseudonym keys) first, one transaction per tenant.
        for (const t of await log.listTenants()) {
          const n = await stores.vault.rewrapItems(t.name, newKey);
          process.stdout.write(`${t.name}: ${n} key items rewrapped\n`);
        }
      }
      try {
        const done = await rotateMasterKey(log, readMasterKey(oldFile), newKey);
        for (const t of done) {
          process.stdout.write(`${t.tenant}: ${t.rewrapped} subject keys rewrapped, ${t.unchanged} unchanged\n`);
        }
        process.stdout.write(
          `every subject key now opens with ${opts.new}: start the service with it (TRAILPROOF_MASTER_KEY_FILE${store.database === undefined ? `, or copy it to ${oldFile}` : ""}); keep ${oldFile} until backups taken before now have expired\n`,
        );
      } finally {
        await log.close();
        await sql?.end({ timeout: 5 });
      }
    });
}

/** The file system's refusals as one line: another writer won the race, or the directory is missing or closed. */
function unwritable(err: unknown, file: string): unknown {
  const code = (err as { code?: unknown }).code;
  if (code === "EEXIST") {
    return new TrailproofError("MASTER_KEY_EXISTS", `${file} exists: a master key is never overwritten`);
  }
  if (typeof code === "string" && ["ENOENT", "EACCES", "EPERM", "EISDIR", "ENOTDIR", "EROFS"].includes(code)) {
    return new TrailproofError("MASTER_KEY_UNWRITABLE", `cannot write ${file} (${code})`);
  }
  return err;
}
