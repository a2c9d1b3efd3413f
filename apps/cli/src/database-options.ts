// The options every command that opens the stores takes: a data directory
// (embedded SQLite) or a PostgreSQL database and its master key file, each
// defaulting to its TRAILPROOF_* variable as the service reads them.
import type { Command } from "commander";

/** What commander parses from addDatabaseOptions' flags (absent when not given). */
export interface DatabaseFlags {
  data?: string;
  database?: string;
  masterKeyFile?: string;
  migrateDatabase?: string;
}

/** Adds --data, --database and --master-key-file (and, for `serve`, --migrate-database) to `command`. */
export function addDatabaseOptions(command: Command, options: { migrate?: boolean } = {}): Command {
  command
    .option("--data <dir>", "data directory of the embedded SQLite store (TRAILPROOF_DATA, default ./data)")
    .option(
      "--database <url>",
      "a PostgreSQL database instead of a data directory: postgres://USER[:PASSWORD]@HOST[:PORT]/DB as the app role (TRAILPROOF_DATABASE_URL)",
    )
    .option(
      "--master-key-file <file>",
      "with --database: the master key that seals keys in the database, the same file on every node (TRAILPROOF_MASTER_KEY_FILE)",
    );
  if (options.migrate) {
    command.option(
      "--migrate-database <url>",
      "with --database: the schema owner's postgres:// URL; pending migrations run with it before the service connects (TRAILPROOF_MIGRATE_DATABASE_URL)",
    );
  }
  return command;
}
