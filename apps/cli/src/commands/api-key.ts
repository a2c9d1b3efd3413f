import { TrailproofError } from "@trailproof/core";
import { type AccessStore, type IssuedKey, issueApiKey } from "@trailproof/ledger";
import { isTenantRole } from "@trailproof/protocol";
import type { Command } from "commander";
import { cliAppender, withDataDir } from "../data-dir.js";
import { addDatabaseOptions, type DatabaseFlags } from "../database-options.js";
import { printJson } from "../output.js";

interface KeyOptions extends DatabaseFlags {
  tenant?: string;
  role?: string;
  name?: string;
  json?: boolean;
}

export function registerApiKeyCommands(program: Command): void {
  const key = program
    .command("key")
    .description("API keys: created shown once, stored only as hashes, revoked at once");
  addDatabaseOptions(key.command("create"))
    .description(
      "create an API key for a tenant with a role, or a platform operator key (--role operator, no --tenant); the key is shown once",
    )
    .option("--tenant <name>", "tenant (not with --role operator)")
    .requiredOption("--role <role>", "ingest, viewer, auditor or admin; operator for a platform key")
    .option("--name <label>", "a label for the key", "cli key")
    .option("--json", "print JSON")
    .action(async (opts: KeyOptions) => {
      const role = opts.role;
      if (role === "operator") {
        if (opts.tenant !== undefined) {
          throw new TrailproofError("REQUEST_INVALID", "an operator key belongs to no tenant: drop --tenant");
        }
        await withDataDir(opts, async ({ access }) => printCreated(opts, await createOperatorKey(access, opts.name)));
        return;
      }
      if (!isTenantRole(role)) {
        // REQUEST_INVALID, as POST /v1/keys answers a role outside the schema.
        throw new TrailproofError(
          "REQUEST_INVALID",
          `--role ${role} is not a role: use ingest, viewer, auditor or admin (or operator, with no --tenant)`,
        );
      }
      const tenantName = opts.tenant;
      if (tenantName === undefined) {
        throw new TrailproofError("REQUEST_INVALID", `a ${role} key belongs to a tenant: pass --tenant NAME`);
      }
      await withDataDir(opts, async ({ ledger, access }) => {
        const tenant = await ledger.tenantRecord(tenantName);
        const issued = await issueApiKey(access, {
          tenantId: tenant.tenantId,
          role,
          name: opts.name ?? "cli key",
          createdBy: "cli",
        });
        // Recorded in the tenant's own log, as the service records the keys it creates.
        await ledger.append(
          tenantName,
          [
            {
              action: "apikey.create",
              occurred_at: new Date().toISOString(),
              actor: { type: "system", id: "cli" },
              target: { type: "api_key", id: issued.record.keyId },
              metadata: { role, name: issued.record.name },
            },
          ],
          { appendedBy: cliAppender("key") },
        );
        printCreated(opts, { ...issued, tenant: tenantName });
      });
    });
  addDatabaseOptions(key.command("revoke <keyId>"))
    .description("revoke a tenant's API key at once (never its last admin key)")
    .requiredOption("--tenant <name>", "tenant")
    .action(async (keyId: string, opts: DatabaseFlags & { tenant: string }) => {
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

/**
 * A new platform operator key: how an operator whose first-start key was lost
 * gets one (the start-up output names this command). Operator keys belong to
 * no tenant, so no tenant's log records it; its row keeps who made it and when.
 */
async function createOperatorKey(access: AccessStore, name = "cli key"): Promise<IssuedKey & { tenant: null }> {
  return { ...(await issueApiKey(access, { tenantId: null, role: "operator", name, createdBy: "cli" })), tenant: null };
}

/** POST /v1/keys's answer (CreatedApiKeySchema), plus the tenant it belongs to (null for an operator key). */
function printCreated(opts: KeyOptions, issued: IssuedKey & { tenant: string | null }): void {
  const out = {
    key: issued.key,
    key_id: issued.record.keyId,
    tenant: issued.tenant,
    role: issued.record.role,
    name: issued.record.name,
    created_at: issued.record.createdAt,
    created_by: issued.record.createdBy,
  };
  if (opts.json) {
    printJson(out);
    return;
  }
  const scope =
    out.tenant === null ? "for the platform (creates tenants, reads no tenant's events)" : `in tenant ${out.tenant}`;
  process.stdout.write(
    `created ${out.role} key ${out.key_id} (${JSON.stringify(out.name)}) ${scope}\n` +
      `key (shown once; only its hash is stored) ${out.key}\n`,
  );
}
