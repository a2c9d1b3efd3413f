// Where a tenant's key material and key records live: files under keys/ for
// the embedded store (file-key-vault.ts), sealed rows in the database for
// PostgreSQL nodes, which keep no local state (store/postgres/
// postgres-key-vault.ts). The signing, digest and published-checkpoint
// stores read and write only through this.
import { isTenantName } from "@trailproof/protocol";

/** "secret": readable only by the service (a private or digest key); "public": a record anyone may read. */
export type KeyItemMode = "secret" | "public";

export interface KeyVault {
  /** The item's bytes, or undefined when the tenant has none by that name. */
  read(tenant: string, name: string): Promise<Uint8Array | undefined>;
  /**
   * Stores `value` unless the item exists, and resolves to what is stored
   * afterwards: `value`, or the item another node created first. Never
   * replaces an item, so two nodes generating a key at once agree on one.
   */
  create(tenant: string, name: string, value: Uint8Array, mode: KeyItemMode): Promise<Uint8Array>;
  /** Replaces (or creates) the item durably and atomically. */
  write(tenant: string, name: string, value: Uint8Array, mode: KeyItemMode): Promise<void>;
  /** Where the item is kept, for messages and runbooks: a file path, or the database row. */
  locate(tenant: string, name: string): string;
  /** Deletes the item (a retired private key); a missing item is no error. */
  remove(tenant: string, name: string): Promise<void>;
}

const ITEM_NAME = /^[a-z0-9][a-z0-9.-]{0,99}$/;

/** Throws unless tenant and item names are plain (they become paths and keys). */
export function checkKeyItem(tenant: string, name: string): void {
  if (!isTenantName(tenant) || !ITEM_NAME.test(name)) {
    throw new Error(`bad key item ${JSON.stringify(`${tenant}/${name}`)}`);
  }
}
