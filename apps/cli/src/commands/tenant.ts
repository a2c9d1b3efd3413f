import { provisionTenant } from "@trailproof/ledger";
import type { Command } from "commander";
import { cliAppender, withDataDir } from "../data-dir.js";
import { addDatabaseOptions, type DatabaseFlags } from "../database-options.js";
import { printJson } from "../output.js";
import { withReadStores } from "../read-stores.js";
import { formatTable, type TableColumn } from "../table.js";

interface TenantRow {
  tenant: string;
  origin: string;
  created_at: string;
  tree_size: number;
}

/** Headed with the API's field names, so the table and --json say the same thing. */
const TENANT_COLUMNS: readonly TableColumn<TenantRow>[] = [
  { header: "tenant", cell: (t) => t.tenant },
  { header: "origin", cell: (t) => t.origin },
  { header: "tree_size", cell: (t) => t.tree_size },
  { header: "created_at", cell: (t) => t.created_at },
];

export function registerTenantCommands(program: Command): void {
  const tenant = program.command("tenant").description("create and list tenants (one log each)");
  addDatabaseOptions(tenant.command("create <name>"))
    .description("create a tenant with its own log, signing key and first admin key (shown once)")
    .option("--accept-unknown-actions", "accept actions without a registered schema, unvalidated")
    .option(
      "--second-approver <name>",
      "also issue an admin key for a second person, who approves the first admin's changes under dual control",
    )
    .option("--json", "print JSON")
    .action(
      async (
        name: string,
        opts: DatabaseFlags & { acceptUnknownActions?: boolean; secondApprover?: string; json?: boolean },
      ) => {
        await withDataDir(opts, async ({ ledger, access }) => {
          const made = await provisionTenant(ledger, access, name, {
            createdBy: "cli",
            appendedBy: cliAppender("tenant"),
            unknownActions: opts.acceptUnknownActions ? "accept" : "reject",
            ...(opts.secondApprover ? { secondApprover: opts.secondApprover } : {}),
          });
          const [key] = await ledger.verifierKeys(name);
          const out = {
            tenant: made.tenant.name,
            admin_key: made.adminKey,
            ...(made.secondAdminKey ? { second_admin_key: made.secondAdminKey } : {}),
            origin: made.tenant.origin,
            verifier_key: key?.verifier_key,
          };
          if (opts.json) printJson(out);
          else {
            process.stdout.write(
              `created tenant ${out.tenant}\norigin ${out.origin}\nverifier key ${out.verifier_key}\nadmin key (shown once) ${out.admin_key}\n`,
            );
            if (out.second_admin_key) {
              process.stdout.write(`second approver's admin key (shown once) ${out.second_admin_key}\n`);
            }
          }
        });
      },
    );
  addDatabaseOptions(tenant.command("list"))
    .description("list the tenants with their origins and log sizes (a table; --json for JSON)")
    .option("--json", "print JSON, as GET /v1/tenants answers")
    .action(async (opts: DatabaseFlags & { json?: boolean }) => {
      // Read only: no ledger, which would sign what is unsigned on close.
      await withReadStores(opts, async ({ log }) => {
        // The wire shape of GET /v1/tenants, so scripts read the CLI and the API alike.
        const tenants: TenantRow[] = [];
        for (const t of await log.listTenants()) {
          tenants.push({
            tenant: t.name,
            origin: t.origin,
            created_at: t.createdAt,
            tree_size: await log.treeSize(t.tenantId),
          });
        }
        if (opts.json) printJson({ tenants });
        else if (tenants.length === 0)
          process.stdout.write("no tenants: create one with `trailproof tenant create NAME`\n");
        else process.stdout.write(formatTable(TENANT_COLUMNS, tenants));
      });
    });
}
