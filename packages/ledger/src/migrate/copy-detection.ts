// Copies detection's state (docs/alerts.md) from a SQLite data directory:
// rule versions, the alerts they raised with each one's lifecycle, and the
// alert follower's cursor with the rule engine's snapshot. Without the
// versions a PostgreSQL node loads no rule; without the cursor and snapshot
// its follower would not resume where SQLite's stopped (alert-follower.ts).
import type { AlertRecord, RuleStore } from "../store/rule-store.js";
import {
  beyondCopy,
  type CopiedSizes,
  type CopyCounts,
  copyCounts,
  deferredNote,
  type TenantIdMap,
} from "./copy-counts.js";
import type { SqliteStateReader } from "./sqlite-source.js";

export interface CopiedDetection {
  ruleVersions: CopyCounts;
  /** updated: an acknowledgement, resolution or resolution index copied onto an alert the target held. */
  alerts: CopyCounts;
  /** Per tenant; updated: the target's cursor moved forward to the source's. */
  alertFollower: CopyCounts;
}

export async function copyDetection(
  source: SqliteStateReader,
  target: RuleStore,
  mapId: TenantIdMap,
  sizes: CopiedSizes,
  notes: string[],
): Promise<CopiedDetection> {
  const out: CopiedDetection = { ruleVersions: copyCounts(), alerts: copyCounts(), alertFollower: copyCounts() };
  for (const v of source.ruleVersions()) {
    const stored = await target.insertRuleVersion({ ...v, tenantId: mapId(v.tenantId) });
    out.ruleVersions[stored ? "inserted" : "unchanged"]++;
  }
  for (const alert of source.alerts()) {
    const a = { ...alert, tenantId: mapId(alert.tenantId) };
    const existing = await target.findAlert(a.tenantId, a.alertId);
    if (existing === undefined) {
      await target.insertAlerts([a]);
      out.alerts.inserted++;
    } else out.alerts[(await carryLifecycle(target, existing, a)) ? "updated" : "unchanged"]++;
  }
  // Last: the cursor never runs ahead of the rules and alerts it has evaluated.
  for (const f of source.alertFollowers()) {
    const tenantId = mapId(f.tenantId);
    if (beyondCopy(sizes, tenantId, f.covered)) {
      notes.push(deferredNote(`the alert follower of tenant ${tenantId}`, f.covered));
      out.alertFollower.unchanged++;
      continue;
    }
    const existing = await target.alertFollowerState(tenantId);
    // A target cursor further on (a node already following there) is kept: cursors never move back.
    if (existing.covered >= f.covered) {
      out.alertFollower.unchanged++;
      continue;
    }
    await target.saveAlertFollowerState(tenantId, existing.covered, { covered: f.covered, snapshot: f.snapshot });
    out.alertFollower.updated++;
  }
  return out;
}

/** Moves `existing` forward to where the source's alert stands (never back); true when anything changed. */
async function carryLifecycle(target: RuleStore, existing: AlertRecord, a: AlertRecord): Promise<boolean> {
  let changed = false;
  if (existing.status === "open" && a.acknowledgedAt !== null && a.acknowledgedBy !== null) {
    const step = { to: "acknowledged", by: a.acknowledgedBy, at: a.acknowledgedAt } as const;
    changed = (await target.transitionAlert(a.tenantId, a.alertId, step)) === "changed" || changed;
  }
  if (existing.status !== "resolved" && a.status === "resolved" && a.resolvedBy !== null && a.resolvedAt !== null) {
    const step = { to: "resolved", by: a.resolvedBy, at: a.resolvedAt } as const;
    changed = (await target.transitionAlert(a.tenantId, a.alertId, step)) === "changed" || changed;
  }
  if (existing.resolutionIndex === null && a.resolutionIndex !== null) {
    await target.recordResolution(a.tenantId, a.alertId, a.resolutionIndex);
    changed = true;
  }
  return changed;
}
