// Copies the service's state beside the logs and the access catalogue
// (state-tables.ts lists what is and is not copied): retention, detection,
// notifications, report schedules, platform keys, streams, cosignatures and
// dual-control settings. Each copier inserts what the target lacks, carries
// forward what the source changed since, and never undoes what only the
// target has, so a re-run to catch up before the switch-over is safe.
import { channelSecretSealer } from "../keys/channel-secrets.js";
import type { PostgresStores } from "../store/postgres/open-postgres-store.js";
import { copyCosignatures } from "./copy-cosignatures.js";
import { type CopiedSizes, type CopyCounts, tenantIdMap } from "./copy-counts.js";
import { type CopiedDetection, copyDetection } from "./copy-detection.js";
import { copyDualControl } from "./copy-dual-control.js";
import { type CopiedNotifications, copyNotifications } from "./copy-notifications.js";
import { copyPlatformKeys } from "./copy-platform-keys.js";
import { copyReportSchedules } from "./copy-report-schedules.js";
import { type CopiedRetention, copyRetention } from "./copy-retention.js";
import { copyStreams } from "./copy-streams.js";
import type { SqliteStateReader } from "./sqlite-source.js";

export interface CopiedState extends CopiedRetention, CopiedDetection, CopiedNotifications {
  reportSchedules: CopyCounts;
  platformKeys: CopyCounts;
  streams: CopyCounts;
  cosignatures: CopyCounts;
  dualControl: CopyCounts;
  /** What was left for the next run, each saying why (a cursor beyond the copied log). */
  notes: string[];
}

/**
 * Requires every tenant copied first (`tenantIds` maps each source id to the
 * target's) and the logs copied (`sizes`: entries copied, by target tenant
 * id): the cursors copied here index into them, so none beyond is copied.
 * `sourceMasterKey` opens the secrets sealed in the data directory.
 */
export async function copyState(
  source: SqliteStateReader,
  sourceMasterKey: Uint8Array,
  target: PostgresStores,
  tenantIds: ReadonlyMap<number, number>,
  sizes: CopiedSizes,
): Promise<CopiedState> {
  const mapId = tenantIdMap(tenantIds);
  const sourceSecrets = channelSecretSealer(sourceMasterKey);
  const notes: string[] = [];
  return {
    ...(await copyRetention(source, target.retention, mapId)),
    ...(await copyDetection(source, target.rules, mapId, sizes, notes)),
    ...(await copyNotifications(source, sourceSecrets, target.notifications, mapId, sizes, notes)),
    reportSchedules: await copyReportSchedules(source, target.reports, mapId),
    platformKeys: await copyPlatformKeys(source, target.access),
    streams: await copyStreams(source, sourceSecrets, target.streams, mapId, sizes, notes),
    cosignatures: await copyCosignatures(source, target.cosignatures, mapId),
    dualControl: await copyDualControl(source, target.approvals, mapId),
    notes,
  };
}
