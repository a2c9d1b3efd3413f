// The key vault of PostgreSQL nodes: each tenant's keys and key records in
// key_items, sealed with AES-256-GCM under the operator's master key (a file
// every node is given, never stored in the database), so a copy or a backup
// of the database alone can neither sign nor swap a verifier key unnoticed.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { TrailproofError } from "@trailproof/core";
import { checkKeyItem, type KeyItemMode, type KeyVault } from "../../keys/key-vault.js";
import type { PgSql } from "./postgres-client.js";
import { inTenant } from "./tenant-scope.js";

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class PostgresKeyVault implements KeyVault {
  readonly #sql: PgSql;
  readonly #masterKey: Buffer;
  readonly #tenantIds = new Map<string, number>();

  /** `masterKey`: 32 bytes (master-key.ts reads them from the operator's file). */
  constructor(sql: PgSql, masterKey: Uint8Array) {
    if (masterKey.length !== 32) throw new TrailproofError("MASTER_KEY_INVALID", "the master key must be 32 bytes");
    this.#sql = sql;
    this.#masterKey = Buffer.from(masterKey);
  }

  locate(tenant: string, name: string): string {
    checkKeyItem(tenant, name);
    return `the key_items row ${tenant}/${name}`;
  }

  async read(tenant: string, name: string): Promise<Uint8Array | undefined> {
    checkKeyItem(tenant, name);
    const tenantId = await this.#tenantId(tenant);
    const [row] = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<{ sealed: Buffer }[]>`SELECT sealed FROM key_items WHERE tenant_id = ${tenantId} AND name = ${name}`,
    );
    return row && this.#open(tenant, name, row.sealed);
  }

  async create(tenant: string, name: string, value: Uint8Array, _mode: KeyItemMode): Promise<Uint8Array> {
    checkKeyItem(tenant, name);
    const tenantId = await this.#tenantId(tenant);
    const sealed = this.#seal(tenant, name, value);
    const stored = await inTenant(this.#sql, tenantId, async (tx) => {
      await tx`INSERT INTO key_items (tenant_id, name, sealed) VALUES (${tenantId}, ${name}, ${sealed})
        ON CONFLICT (tenant_id, name) DO NOTHING`;
      const [row] = await tx<
        { sealed: Buffer }[]
      >`SELECT sealed FROM key_items WHERE tenant_id = ${tenantId} AND name = ${name}`;
      return row?.sealed;
    });
    if (!stored) throw new TrailproofError("KEY_VAULT_FAILED", `${tenant}/${name} was not stored`);
    return this.#open(tenant, name, stored);
  }

  async write(tenant: string, name: string, value: Uint8Array, _mode: KeyItemMode): Promise<void> {
    checkKeyItem(tenant, name);
    const tenantId = await this.#tenantId(tenant);
    const sealed = this.#seal(tenant, name, value);
    await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx`INSERT INTO key_items (tenant_id, name, sealed) VALUES (${tenantId}, ${name}, ${sealed})
        ON CONFLICT (tenant_id, name) DO UPDATE SET sealed = EXCLUDED.sealed, updated_at = now()`,
    );
  }

  async remove(tenant: string, name: string): Promise<void> {
    checkKeyItem(tenant, name);
    const tenantId = await this.#tenantId(tenant);
    await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx`DELETE FROM key_items WHERE tenant_id = ${tenantId} AND name = ${name}`,
    );
  }

  /**
   * Master-key rotation: every key item of `tenant` reopened with this
   * vault's master key and sealed again with `newMasterKey`, in one
   * transaction. Items that already open with the new key (a run that
   * stopped halfway) are left alone. Returns how many were rewrapped.
   */
  async rewrapItems(tenant: string, newMasterKey: Uint8Array): Promise<number> {
    const tenantId = await this.#tenantId(tenant);
    const next = new PostgresKeyVault(this.#sql, newMasterKey);
    return inTenant(this.#sql, tenantId, async (tx) => {
      const rows = await tx<{ name: string; sealed: Buffer }[]>`
        SELECT name, sealed FROM key_items WHERE tenant_id = ${tenantId} ORDER BY name FOR UPDATE`;
      let rewrapped = 0;
      for (const row of rows) {
        let value: Uint8Array;
        try {
          value = this.#open(tenant, row.name, row.sealed);
        } catch {
          // Already under the new key, or it opens with neither: then this throws KEY_ITEM_UNREADABLE, nothing written.
          next.#open(tenant, row.name, row.sealed);
          continue;
        }
        const sealed = next.#seal(tenant, row.name, value);
        await tx`UPDATE key_items SET sealed = ${sealed}, updated_at = now()
          WHERE tenant_id = ${tenantId} AND name = ${row.name}`;
        rewrapped++;
      }
      return rewrapped;
    });
  }

  async #tenantId(tenant: string): Promise<number> {
    const cached = this.#tenantIds.get(tenant);
    if (cached !== undefined) return cached;
    const [row] = await this.#sql<{ tenant_id: number }[]>`SELECT tenant_id FROM tenants WHERE name = ${tenant}`;
    if (!row) throw new TrailproofError("TENANT_NOT_FOUND", `no tenant named ${tenant}`);
    this.#tenantIds.set(tenant, row.tenant_id);
    return row.tenant_id;
  }

  #seal(tenant: string, name: string, value: Uint8Array): Buffer {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.#masterKey, nonce);
    cipher.setAAD(associatedData(tenant, name));
    const body = Buffer.concat([cipher.update(value), cipher.final()]);
    return Buffer.concat([nonce, body, cipher.getAuthTag()]);
  }

  #open(tenant: string, name: string, sealed: Uint8Array): Uint8Array {
    try {
      const bytes = Buffer.from(sealed);
      const decipher = createDecipheriv("aes-256-gcm", this.#masterKey, bytes.subarray(0, NONCE_BYTES));
      decipher.setAAD(associatedData(tenant, name));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      return new Uint8Array(
        Buffer.concat([decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)), decipher.final()]),
      );
    } catch (cause) {
      throw new TrailproofError(
        "KEY_ITEM_UNREADABLE",
        `${tenant}/${name} does not open with this master key: a different master key, or the row was edited`,
        { cause },
      );
    }
  }
}

function associatedData(tenant: string, name: string): Buffer {
  return Buffer.from(`trailproof key item v1\n${tenant}\n${name}`);
}
