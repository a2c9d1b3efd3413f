// `trailproof master-key create FILE`: the key that seals tenants' signing and
// digest keys in a PostgreSQL database. Every node of one database MUST be
// given the same file; losing it loses the keys, so it is never overwritten.
import { TrailproofError } from "@trailproof/core";
import { createMasterKey } from "@trailproof/ledger";
import type { Command } from "commander";

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
