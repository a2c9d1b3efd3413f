// Copies SIEM streams (docs/streams.md): definition, destination secret and
// cursor. The secret is sealed under the data directory's master key (keyed
// by stream id): it is opened with that key and sealed again under the
// target's. The cursor's lastSent travels with covered, so the next message's
// prev_index still names the last one the destination received.
import type { ChannelSecretSealer } from "../keys/channel-secrets.js";
import { streamSecretKey } from "../store/stream-rows.js";
import type { StreamStore } from "../store/stream-store.js";
import {
  beyondCopy,
  type CopiedSizes,
  type CopyCounts,
  copyCounts,
  deferredNote,
  type TenantIdMap,
} from "./copy-counts.js";
import type { SqliteStateReader } from "./sqlite-source.js";

/** updated: the target's cursor moved forward to the source's, or a later change (status, secret) copied. */
export async function copyStreams(
  source: SqliteStateReader,
  sourceSecrets: ChannelSecretSealer,
  target: StreamStore,
  mapId: TenantIdMap,
  sizes: CopiedSizes,
  notes: string[],
): Promise<CopyCounts> {
  const out = copyCounts();
  for (const { record, secretSealed, progress } of source.streams()) {
    const s = { ...record, tenantId: mapId(record.tenantId) };
    if (beyondCopy(sizes, s.tenantId, progress.covered)) {
      notes.push(deferredNote(`stream ${s.streamId}`, progress.covered));
      out.unchanged++;
      continue;
    }
    const secret = secretSealed === null ? undefined : sourceSecrets.open(streamSecretKey(s.streamId), secretSealed);
    const existing = await target.findStream(s.tenantId, s.streamId);
    if (existing === undefined) {
      await target.insertStream(s, progress, secret);
      out.inserted++;
      continue;
    }
    let changed = false;
    // A change made in the source since (a rotated secret, a pause): the source is the live service.
    if (existing.updatedAt < s.updatedAt) {
      if (secret !== undefined) await target.setSecret(s.tenantId, s.streamId, secret, s.updatedAt, s.updatedBy);
      await target.setStatus(s.tenantId, s.streamId, s.status, s.updatedAt, s.updatedBy);
      changed = true;
    }
    const at = await target.progress(s.tenantId, s.streamId);
    // Only forward: a cursor a target node moved further stays.
    if (at !== undefined && at.covered < progress.covered) {
      await target.advance(s.tenantId, s.streamId, {
        from: at.covered,
        to: progress.covered,
        lastSent: progress.lastSent,
        delivered: Math.max(0, progress.delivered - at.delivered),
        at: progress.lastDeliveredAt ?? new Date().toISOString(),
      });
      changed = true;
    }
    out[changed ? "updated" : "unchanged"]++;
  }
  return out;
}
