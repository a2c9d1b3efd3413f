import { TrailproofError } from "@trailproof/core";
import { issueApiKey } from "@trailproof/ledger";
import { isTenantRole } from "@trailproof/protocol";
import type { Command } from "commander";
import { cliAppender, withDataDir } from "../data-dir.js";
import { addDatabaseOptions, type DatabaseFlags } from "../database-options.js";
import { printJson } from "../output.js";

interface KeyOptions extends DatabaseFlags {
  tenant: string;
  role?: string;
  name?: string;
  json?: boolean;
}

export function registerApiKeyCommands(program: Command): void {
  const key = program
    .command("key")
    .description("API keys: created shown once, stored only as hashes, revoked at once");
  addDatabaseOptions(key.command("create"))
    .description("create an API key for a tenant with a role; the key is shown once")
    .requiredOption("--tenant <name>", "tenant")
    .requiredOption("--role <role>", "ingest, viewer, auditor or admin")
    .option("--name <label>", "a label for the key", "cli key")
    .option("--json", "print JSON")
    .action(async (opts: KeyOptions) => {
      const role = opts.role;
      if (!isTenantRole(role)) {
        // REQUEST_INVALID, as POST /v1/keys answers a role outside the schema.
        throw new TrailproofError(
          "REQUEST_INVALID",
          `--role ${role} is not a role: use ingest, viewer, auditor or admin`,
        );
      }
      await withDataDir(opts, async ({ ledger, access }) => {
        const tenant = await ledger.tenantRecord(opts.tenant);
        const issued = await issueApiKey(access, {
          tenantId: tenant.tenantId,
          role,
          name: opts.name ?? "cli key",
          createdBy: "cli",
        });
        await ledger.append(
          opts.tenant,
          [
            {
              action: "apikey.create",
              occurred_at: new Date().toISOString(),
              actor: { type: "system", id: "cli" },
              target: { type: "api_key", id: issued.record.keyId },
              metadata: { role: opts.role, name: issued.record.name },
            },
          ],
          { appendedBy: cliAppender("key") },
        );
        // POST /v1/keys's answer (CreatedApiKeySchema), plus the tenant it belongs to.
        const out = {
          key: issued.key,
          key_id: issued.record.keyId,
          tenant: opts.tenant,
          role: issued.record.role,
          name: issued.record.name,
          created_at: issued.record.createdAt,
          created_by: issued.record.createdBy,
        };
        if (opts.json) printJson(out);
        else {
          process.stdout.write(
            `created ${out.role} key ${out.key_id} (${JSON.stringify(out.name)}) in tenant ${out.tenant}\n` +
              `key (shown once; only its hash is stored) ${out.key}\n`,
          );
        }
      });
    });
  addDatabaseOptions(key.command("revoke <keyId>"))
    .description("revoke a tenant's API key at once (never its last admin key)")
    .requiredOption("--tenant <name>", "tenant")
    .action(async (keyId: string, opts: KeyOptions) => {
      await withDataDir(opts, async ({ ledger, access }) => {
        const tenant = await ledger.tenantRecord(opts.tenant);
        const outcome = await access.revokeApiKey(tenant.tenantId, keyId, new Date().toISOString());
        if (outcome === "last_admin") {
          throw new TrailproofError(
            "LAST_ADMIN",
            `${keyId} is tenant ${opts.tenant}'s last admin credential: create another admin key first (key create --role admin)`,
          );
        }
        if (outcome !== "revoked") {
          throw new TrailproofError("KEY_NOT_FOUND", `no active key ${keyId} in tenant ${opts.tenant}`);
        }
        await ledger.append(
          opts.tenant,
          [
            {
              action: "apikey.revoke",
              occurred_at: new Date().toISOString(),
              actor: { type: "system", id: "cli" },
              target: { type: "api_key", id: keyId },
            },
          ],
          { appendedBy: cliAppender("key") },
        );
        process.stdout.write(`revoked ${keyId}\n`);
      });
    });
}
