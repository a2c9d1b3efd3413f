// Copies a tenant's key items from its FileKeyVault files (keys/<tenant>/)
// into another vault (PostgreSQL's, sealed with the master key): the
// signing key, verifier records, digest key and published-checkpoint record.
import { parseCheckpointBody, parseNote, TrailproofError } from "@trailproof/core";
import type { KeyVault } from "../keys/key-vault.js";
import type { KeyFileItem } from "./sqlite-source.js";

/** Records that move forward as the source service runs: the source's newer copy replaces the target's. */
const VERIFIERS_ITEM = "verifiers.json";
const PUBLISHED_ITEM = "published-checkpoint";

export interface CopiedKeyItems {
  /** Names written because the target lacked them. */
  created: string[];
  /** Names whose target copy was replaced by the source's newer one. */
  replaced: string[];
  unchanged: number;
}

/**
 * Copies `items` (read before the log's size was, so a published record
 * never names a size beyond `copiedSize`) into `vault`. The verifier
 * records are replaced by the source's (a rotation adds to them); the
 * published-checkpoint record only by a larger one. Any other item that
 * differs (a signing or digest key) throws MIGRATE_DIVERGED, writing
 * nothing: the target would sign or digest as another log.
 */
export async function copyKeyItems(
  tenant: string,
  items: readonly KeyFileItem[],
  vault: KeyVault,
  copiedSize: number,
): Promise<CopiedKeyItems> {
  const plan: { item: KeyFileItem; existed: boolean }[] = [];
  let unchanged = 0;
  for (const item of items) {
    const existing = await vault.read(tenant, item.name);
    if (existing !== undefined && Buffer.from(existing).equals(item.value)) {
      unchanged++;
      continue;
    }
    if (item.name === PUBLISHED_ITEM && publishedSize(item.value) > copiedSize) {
      throw new TrailproofError(
        "MIGRATE_SOURCE_INVALID",
        `tenant ${tenant} published a checkpoint of ${publishedSize(item.value)} entries but its log holds ${copiedSize}: the data directory was rolled back (docs/runbooks/operations.md#backups)`,
      );
    }
    if (existing === undefined) plan.push({ item, existed: false });
    else if (item.name === VERIFIERS_ITEM) plan.push({ item, existed: true });
    else if (item.name === PUBLISHED_ITEM) {
      if (publishedSize(item.value) > publishedSize(existing)) plan.push({ item, existed: true });
      else unchanged++;
    } else {
      throw new TrailproofError(
        "MIGRATE_DIVERGED",
        `tenant ${tenant}'s ${item.name} in PostgreSQL differs from keys/${tenant}/${item.name}: PostgreSQL holds another key; nothing of this tenant's keys was copied`,
      );
    }
  }
  for (const { item } of plan) await vault.write(tenant, item.name, item.value, item.mode);
  return {
    created: plan.filter((p) => !p.existed).map((p) => p.item.name),
    replaced: plan.filter((p) => p.existed).map((p) => p.item.name),
    unchanged,
  };
}

function publishedSize(note: Uint8Array): number {
  return Number(parseCheckpointBody(parseNote(Buffer.from(note).toString("utf8")).text).treeSize);
}
