// Copies platform keys (access-store.ts PlatformKeyRecord). Only the SHA-256
// of each key's secret is stored, with no master key in it, so a copied row
// authenticates the same `tpp_` key on PostgreSQL; its tenants are named, not
// numbered, so nothing is translated. A revocation travels; none is undone.
import { TrailproofError } from "@trailproof/core";
import type { AccessStore } from "../store/access-store.js";
import { type CopyCounts, copyCounts } from "./copy-counts.js";
import type { SqliteStateReader } from "./sqlite-source.js";

/** updated: a revocation copied. */
export async function copyPlatformKeys(source: SqliteStateReader, target: AccessStore): Promise<CopyCounts> {
  const out = copyCounts();
  for (const key of source.platformKeys()) {
    const existing = await target.findPlatformKey(key.keyId);
    if (existing === undefined) {
      await target.insertPlatformKey(key);
      out.inserted++;
    } else if (existing.secretHash !== key.secretHash || existing.createdAt !== key.createdAt) {
      throw new TrailproofError(
        "MIGRATE_DIVERGED",
        `platform key ${key.keyId} differs between the data directory and PostgreSQL: PostgreSQL holds another catalogue`,
      );
    } else if (key.revokedAt !== null && existing.revokedAt === null) {
      await target.revokePlatformKey(key.keyId, key.revokedAt);
      out.updated++;
    } else out.unchanged++;
  }
  return out;
}
