// The last checkpoint each tenant's log published, kept in the key vault
// (keys/<tenant>/published-checkpoint, beside the signing key, outside the
// database), so a log rolled back behind the service's back (its tail
// deleted with its checkpoints and nodes, or an older backup restored) is
// caught at start: the database alone cannot say it used to be longer. The
// service refuses such a log unless the operator forces it
// (docs/runbooks/operations.md#backups). On PostgreSQL the vault is in the database: it
// catches log tables rolled back alone, not a whole database restored
// (docs/scale-out.md: witnesses and `verify --checkpoint` cover that).
import {
  CompactRange,
  equalBytes,
  type Hasher,
  nodeKey,
  parseCheckpointBody,
  parseNote,
  TrailproofError,
} from "@trailproof/core";
import type { KeyVault } from "../keys/key-vault.js";
import type { LogStore, TenantRecord } from "../store/log-store.js";

const ITEM = "published-checkpoint";

export class PublishedCheckpointRecord {
  readonly #vault: KeyVault;

  constructor(vault: KeyVault) {
    this.#vault = vault;
  }

  /** Replaces the tenant's record with `note`, durably. */
  record(tenant: string, note: string): Promise<void> {
    return this.#vault.write(tenant, ITEM, new Uint8Array(Buffer.from(note)), "public");
  }

  /** The tenant's last published checkpoint note, or undefined when none was recorded. */
  async read(tenant: string): Promise<string | undefined> {
    const stored = await this.#vault.read(tenant, ITEM);
    return stored && Buffer.from(stored).toString("utf8");
  }

  /** Keeps the record as evidence under another name, so the next start does not refuse again. Returns where. */
  async retire(tenant: string, at: Date): Promise<string> {
    const kept = `${ITEM}.rolled-back-${at.toISOString().replaceAll(":", "-").toLowerCase()}`;
    const note = await this.#vault.read(tenant, ITEM);
    if (note) await this.#vault.write(tenant, kept, note, "public");
    await this.#vault.remove(tenant, ITEM);
    return this.#vault.locate(tenant, kept);
  }
}

export interface RollbackNotice {
  tenant: string;
  /** Size and root of the checkpoint the log published last. */
  publishedSize: number;
  /** Entries the log holds now. */
  treeSize: number;
  /** "truncated": fewer entries than published; "forked": the entries differ from what was published. */
  kind: "truncated" | "forked";
  /** Where the old record was kept when the start was forced. */
  keptAt?: string;
}

/**
 * Compares each tenant's log with the checkpoint it last published. A log
 * smaller than that checkpoint, or whose root at that size differs, throws
 * LOG_ROLLED_BACK, unless `force`: then each is passed to `onForced` and the
 * record is kept aside.
 */
export async function checkPublishedCheckpoints(
  store: LogStore,
  hasher: Hasher,
  record: PublishedCheckpointRecord,
  tenants: readonly TenantRecord[],
  options: { force: boolean; onForced?: (notice: RollbackNotice) => void; now: () => number },
): Promise<void> {
  for (const tenant of tenants) {
    const note = await record.read(tenant.name);
    if (note === undefined) continue;
    const published = parseCheckpointBody(parseNote(note).text);
    const publishedSize = Number(published.treeSize);
    const treeSize = await store.treeSize(tenant.tenantId);
    let kind: RollbackNotice["kind"] | undefined;
    if (treeSize < publishedSize) kind = "truncated";
    else if (!equalBytes(await rootAt(store, hasher, tenant.tenantId, publishedSize), published.rootHash))
      kind = "forked";
    if (kind === undefined) continue;
    const notice: RollbackNotice = { tenant: tenant.name, publishedSize, treeSize, kind };
    if (!options.force) {
      throw new TrailproofError(
        "LOG_ROLLED_BACK",
        kind === "truncated"
          ? `tenant ${tenant.name}'s log holds ${treeSize} entries, but it published a checkpoint of ${publishedSize}: it was rolled back (an older backup, or its tail deleted). Restore the newer copy, or start with --force-rollback to accept the loss (docs/runbooks/operations.md#backups)`
          : `tenant ${tenant.name}'s log differs from the checkpoint of size ${publishedSize} it published: it was replaced or forked. Restore the copy that published it, or start with --force-rollback (docs/runbooks/operations.md#backups)`,
      );
    }
    notice.keptAt = await record.retire(tenant.name, new Date(options.now()));
    options.onForced?.(notice);
  }
}

/** The root of the tenant's first `size` entries, from stored hashes. */
async function rootAt(store: LogStore, hasher: Hasher, tenantId: number, size: number): Promise<Uint8Array> {
  const ids = CompactRange.nodesFor(BigInt(size));
  const stored = await store.readNodes(tenantId, ids);
  const nodes = ids.map((id) => ({ ...id, hash: stored.get(nodeKey(id)) ?? new Uint8Array(32) }));
  return CompactRange.fromNodes(hasher, BigInt(size), nodes).rootHash();
}
