import { provisionTenant } from "@trailproof/ledger";
import type { Command } from "commander";
import { cliAppender, withDataDir } from "../data-dir.js";
import { addDatabaseOptions, type DatabaseFlags } from "../database-options.js";
import { printJson } from "../output.js";

export function registerTenantCommands(program: Command): void {
  const tenant = program.command("tenant").description("create and list tenants (one log each)");
  addDatabaseOptions(tenant.command("create <name>"))
    .description("create a tenant with its own log, signing key and first admin key (shown once)")
    .option("--accept-unknown-actions", "accept actions without a registered schema, unvalidated")
    .option("--json", "print JSON")
    .action(async (name: string, opts: DatabaseFlags & { acceptUnknownActions?: boolean; json?: boolean }) => {
      await withDataDir(opts, async ({ ledger, access }) => {
        const made = await provisionTenant(ledger, access, name, {
          createdBy: "cli",
          appendedBy: cliAppender("tenant"),
          unknownActions: opts.acceptUnknownActions ? "accept" : "reject",
        });
        const [key] = await ledger.verifierKeys(name);
        const out = {
          tenant: made.tenant.name,
          admin_key: made.adminKey,
          origin: made.tenant.origin,
          verifier_key: key?.verifier_key,
        };
        if (opts.json) printJson(out);
        else {
          process.stdout.write(
            `created tenant ${out.tenant}\norigin ${out.origin}\nverifier key ${out.verifier_key}\nadmin key (shown once) ${out.admin_key}\n`,
          );
        }
      });
    });
  addDatabaseOptions(tenant.command("list")).action(async (opts: DatabaseFlags) => {
    await withDataDir(opts, async ({ ledger }) => {
      printJson(await ledger.listTenants());
    });
  });
}
