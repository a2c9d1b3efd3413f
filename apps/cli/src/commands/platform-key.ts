// `trailproof platform-key create|list|revoke`: platform keys on the host, as
// POST/GET/DELETE /v1/platform-keys make them over HTTP. A platform key is an
// ingest key for many tenants (or all), naming the tenant per request; like an
// operator key it belongs to no tenant, so no tenant's log records it: its
// row keeps who made it and when.
import { TrailproofError } from "@trailproof/core";
import { issuePlatformKey } from "@trailproof/ledger";
import { toWirePlatformKey } from "@trailproof/server";
import type { Command } from "commander";
import { withDataDir } from "../data-dir.js";
import { addDatabaseOptions, type DatabaseFlags } from "../database-options.js";
import { printJson } from "../output.js";
import { formatTable, type TableColumn } from "../table.js";

interface CreateOptions extends DatabaseFlags {
  tenants: string;
  name?: string;
  createTenants?: boolean;
  acceptUnknownActions?: boolean;
  json?: boolean;
}

/** The wire shape of GET /v1/platform-keys (the server's own), so scripts read the CLI and the API alike. */
const toWire = toWirePlatformKey;
type WireKey = ReturnType<typeof toWire>;

const COLUMNS: TableColumn<WireKey>[] = [
  { header: "KEY ID", cell: (k) => k.key_id },
  { header: "NAME", cell: (k) => k.name },
  { header: "TENANTS", cell: (k) => (k.tenants === "all" ? "all" : k.tenants.join(",")) },
  { header: "CREATES", cell: (k) => (k.create_tenants ? `yes (${k.unknown_actions})` : "no") },
  { header: "CREATED", cell: (k) => k.created_at },
  { header: "REVOKED", cell: (k) => k.revoked_at ?? "-" },
];

export function registerPlatformKeyCommands(program: Command): void {
  const key = program
    .command("platform-key")
    .description("platform keys: one ingest key for many tenants, naming the tenant per request");
  addDatabaseOptions(key.command("create"))
    .description("create a platform key; the key is shown once")
    .requiredOption("--tenants <names>", '"all", or tenant names separated by commas')
    .option("--name <label>", "a label for the key", "cli platform key")
    .option("--create-tenants", "create a tenant the key names that does not exist yet, on first use")
    .option("--accept-unknown-actions", "the tenants it creates accept actions without a registered schema")
    .option("--json", "print JSON, as POST /v1/platform-keys answers")
    .action(async (opts: CreateOptions) => {
      const tenants = opts.tenants === "all" ? "all" : opts.tenants.split(",").map((t) => t.trim());
      await withDataDir(opts, async ({ access }) => {
        const issued = await issuePlatformKey(access, {
          name: opts.name ?? "cli platform key",
          tenants,
          createTenants: opts.createTenants === true,
          unknownActions: opts.acceptUnknownActions ? "accept" : "reject",
          createdBy: "cli",
        });
        const out = { ...toWire(issued.record), key: issued.key };
        if (opts.json) {
          printJson(out);
          return;
        }
        const scope = out.tenants === "all" ? "every tenant" : `tenants ${out.tenants.join(", ")}`;
        process.stdout.write(
          `created platform key ${out.key_id} (${JSON.stringify(out.name)}) for ${scope}` +
            `${out.create_tenants ? `, creating missing ones (unknown actions: ${out.unknown_actions})` : ""}\n` +
            `key (shown once; only its hash is stored) ${out.key}\n`,
        );
      });
    });
  addDatabaseOptions(key.command("list"))
    .description("list the platform keys, revoked ones included (a table; --json for JSON)")
    .option("--json", "print JSON, as GET /v1/platform-keys answers")
    .action(async (opts: DatabaseFlags & { json?: boolean }) => {
      await withDataDir(opts, async ({ access }) => {
        const keys = (await access.listPlatformKeys()).map(toWire);
        if (opts.json) printJson({ keys });
        else if (keys.length === 0)
          process.stdout.write("no platform keys: create one with `trailproof platform-key create`\n");
        else process.stdout.write(formatTable(COLUMNS, keys));
      });
    });
  addDatabaseOptions(key.command("revoke <keyId>"))
    .description("revoke a platform key at once")
    .action(async (keyId: string, opts: DatabaseFlags) => {
      await withDataDir(opts, async ({ access }) => {
        if ((await access.revokePlatformKey(keyId, new Date().toISOString())) !== "revoked") {
          throw new TrailproofError("KEY_NOT_FOUND", `no active platform key ${keyId}`);
        }
        process.stdout.write(`revoked ${keyId}\n`);
      });
    });
}
