// Copies notifications' state (docs/notifications.md) from a SQLite data
// directory: channels, the outbox with each delivery's attempts, and the
// notification follower's cursor, so after the switch-over nothing already
// sent is sent again and nothing the follower passed is skipped. Channel
// secrets are sealed under the data directory's master key: they are opened
// with it and sealed again under the target's by the target store.
import type { ChannelSecretSealer } from "../keys/channel-secrets.js";
import type { NotificationStore } from "../store/notification-store.js";
import {
  beyondCopy,
  type CopiedSizes,
  type CopyCounts,
  copyCounts,
  deferredNote,
  orOperator,
  type TenantIdMap,
} from "./copy-counts.js";
import type { SqliteStateReader } from "./sqlite-source.js";

export interface CopiedNotifications {
  /** updated: a change made in the source after the target's copy (a newer updatedAt). */
  channels: CopyCounts;
  /** updated: a pending delivery the source has attempted since (copy-outcome of insertDeliveryCopy). */
  deliveries: CopyCounts;
  /** Per tenant; updated: the follower's cursor moved forward. */
  notificationCursor: CopyCounts;
}

export async function copyNotifications(
  source: SqliteStateReader,
  sourceSecrets: ChannelSecretSealer,
  target: NotificationStore,
  mapId: TenantIdMap,
  sizes: CopiedSizes,
  notes: string[],
): Promise<CopiedNotifications> {
  const out: CopiedNotifications = {
    channels: copyCounts(),
    deliveries: copyCounts(),
    notificationCursor: copyCounts(),
  };
  const mapTenant = orOperator(mapId);
  for (const { record, secretSealed } of source.channels()) {
    const c = { ...record, tenantId: mapTenant(record.tenantId) };
    const secret = sourceSecrets.open(c.channelId, secretSealed as string);
    const existing = await target.findChannel(c.tenantId, c.channelId);
    if (existing === undefined) {
      await target.insertChannel(c, secret);
      out.channels.inserted++;
    } else if (existing.updatedAt < c.updatedAt) {
      const { name, format, url, enabled, updatedAt, updatedBy } = c;
      await target.updateChannel(c.tenantId, c.channelId, { name, format, url, enabled, secret, updatedAt, updatedBy });
      out.channels.updated++;
    } else out.channels.unchanged++;
  }
  for (const delivery of source.deliveries()) {
    const d = { ...delivery, tenantId: mapTenant(delivery.tenantId) };
    const outcome = await target.insertDeliveryCopy(d, source.attempts(delivery.deliveryId));
    out.deliveries[outcome]++;
  }
  // After the deliveries: a cursor copied first could pass entries whose deliveries are not in yet.
  for (const cursor of source.notificationCursors()) {
    const tenantId = mapId(cursor.tenantId);
    if (beyondCopy(sizes, tenantId, cursor.covered)) {
      notes.push(deferredNote(`the notification follower of tenant ${tenantId}`, cursor.covered));
      out.notificationCursor.unchanged++;
      continue;
    }
    const covered = await target.followerCovered(tenantId);
    if (covered >= cursor.covered) {
      out.notificationCursor.unchanged++;
      continue;
    }
    await target.enqueueFollowed(tenantId, covered, cursor.covered, [], new Date().toISOString());
    out.notificationCursor.updated++;
  }
  return out;
}
