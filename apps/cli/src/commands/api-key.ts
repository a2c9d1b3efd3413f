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
    .requiredOption("--tenant <name>", "tenant")
    .requiredOption("--role <role>", "ingest, viewer, auditor or admin")
    .option("--name <label>", "a label for the key", "cli key")
    .option("--json", "print JSON")
    .action(async (opts: KeyOptions) => {
      const role = opts.role;
      if (!isTenantRole(role)) {
        throw new TrailproofError("KEY_ROLE_INVALID", "--role must be ingest, viewer, auditor or admin");
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
        const out = {
          key: issued.key,
          key_id: issued.record.keyId,
          tenant: opts.tenant,
          role: opts.role,
          name: issued.record.name,
        };
        if (opts.json) printJson(out);
        else process.stdout.write(`${out.key}\n`);
      });
    });
  addDatabaseOptions(key.command("revoke <keyId>"))
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
