// RuleStore on the SQLite catalogue (trailproof.db): rule versions and alerts
// beside the approvals, and the alert follower's cursor with its snapshot.
// One writer per file, so the cursor's compare-and-set is one UPDATE.
import { type JsonObject, TrailproofError } from "@trailproof/core";
import { type AlertRow, type RuleVersionRow, toAlert, toRuleVersion } from "../rule-rows.js";
import type {
  AlertFollowerState,
  AlertRecord,
  AlertStatus,
  AlertTransitionOutcome,
  RuleStore,
  RuleVersionRecord,
} from "../rule-store.js";
import type { SqliteDatabase } from "./sqlite-database.js";

const DDL = `
CREATE TABLE IF NOT EXISTS rule_versions (
  tenant_id INTEGER NOT NULL REFERENCES tenants (tenant_id),
  rule_id TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 1),
  definition TEXT NOT NULL CHECK (json_type(definition) = 'object'),
  deleted INTEGER NOT NULL CHECK (deleted IN (0, 1)),
  made_by TEXT NOT NULL,
  made_at TEXT NOT NULL,
  log_index INTEGER NOT NULL CHECK (log_index >= 0),
  PRIMARY KEY (tenant_id, rule_id, version)
);
CREATE TRIGGER IF NOT EXISTS rule_versions_update BEFORE UPDATE ON rule_versions
BEGIN SELECT RAISE(ABORT, 'STORE_APPEND_ONLY: a rule version is never rewritten'); END;
CREATE TRIGGER IF NOT EXISTS rule_versions_delete BEFORE DELETE ON rule_versions
BEGIN SELECT RAISE(ABORT, 'STORE_APPEND_ONLY: rule versions are never deleted'); END;
CREATE TABLE IF NOT EXISTS alerts (
  tenant_id INTEGER NOT NULL REFERENCES tenants (tenant_id),
  alert_id TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  raised TEXT NOT NULL CHECK (json_type(raised) = 'object'),
  log_index INTEGER NOT NULL CHECK (log_index >= 0),
  raised_at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
  acknowledged_by TEXT,
  acknowledged_at TEXT,
  resolved_by TEXT,
  resolved_at TEXT,
  resolution_index INTEGER CHECK (resolution_index IS NULL OR resolution_index >= 0),
  PRIMARY KEY (tenant_id, alert_id)
);
CREATE INDEX IF NOT EXISTS alerts_tenant ON alerts (tenant_id, log_index);
-- An alert moves forward only (open, acknowledged, resolved) and is never deleted.
CREATE TRIGGER IF NOT EXISTS alerts_update BEFORE UPDATE ON alerts
WHEN NEW.alert_id IS NOT OLD.alert_id OR NEW.tenant_id IS NOT OLD.tenant_id OR NEW.rule_id IS NOT OLD.rule_id
  OR NEW.raised IS NOT OLD.raised OR NEW.log_index IS NOT OLD.log_index OR NEW.raised_at IS NOT OLD.raised_at
  OR (OLD.status = 'resolved' AND (NEW.status IS NOT OLD.status OR NEW.resolved_by IS NOT OLD.resolved_by
    OR NEW.resolved_at IS NOT OLD.resolved_at))
  OR (OLD.status = 'acknowledged' AND NEW.status <> 'resolved')
  OR (OLD.acknowledged_at IS NOT NULL AND (NEW.acknowledged_by IS NOT OLD.acknowledged_by
    OR NEW.acknowledged_at IS NOT OLD.acknowledged_at))
  OR (OLD.resolution_index IS NOT NULL AND NEW.resolution_index IS NOT OLD.resolution_index)
BEGIN SELECT RAISE(ABORT, 'STORE_APPEND_ONLY: an alert only moves forward'); END;
CREATE TRIGGER IF NOT EXISTS alerts_delete BEFORE DELETE ON alerts
BEGIN SELECT RAISE(ABORT, 'STORE_APPEND_ONLY: alerts are never deleted'); END;
CREATE TABLE IF NOT EXISTS alert_follower (
  tenant_id INTEGER PRIMARY KEY REFERENCES tenants (tenant_id),
  covered INTEGER NOT NULL CHECK (covered >= 0),
  snapshot TEXT CHECK (snapshot IS NULL OR json_type(snapshot) = 'object')
);
`;

export class SqliteRuleStore implements RuleStore {
  readonly #db: SqliteDatabase;
  /** False on a read-only open of a catalogue written before detection existed: reads find none. */
  readonly #hasTables: boolean;

  /** Requires the log schema (tenants) to exist: construct after SqliteStore. */
  constructor(db: SqliteDatabase) {
    this.#db = db;
    if (db.readonly !== true) db.exec(DDL);
    this.#hasTables =
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rule_versions'").get() !== undefined;
  }

  async insertRuleVersion(r: RuleVersionRecord): Promise<boolean> {
    const done = this.#db
      .prepare(
        `INSERT INTO rule_versions (tenant_id, rule_id, version, definition, deleted, made_by, made_at, log_index)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(r.tenantId, r.ruleId, r.version, JSON.stringify(r.definition), r.deleted ? 1 : 0, r.by, r.at, r.logIndex);
    return done.changes === 1;
  }

  async ruleVersions(tenantId: number, ruleId: string): Promise<RuleVersionRecord[]> {
    if (!this.#hasTables) return [];
    const rows = this.#db
      .prepare("SELECT * FROM rule_versions WHERE tenant_id = ? AND rule_id = ? ORDER BY version")
      .all(tenantId, ruleId) as RuleVersionRow[];
    return rows.map(toRuleVersion);
  }

  async allRuleVersions(tenantId: number): Promise<RuleVersionRecord[]> {
    if (!this.#hasTables) return [];
    const rows = this.#db
      .prepare("SELECT * FROM rule_versions WHERE tenant_id = ? ORDER BY rule_id, version")
      .all(tenantId) as RuleVersionRow[];
    return rows.map(toRuleVersion);
  }

  async insertAlerts(records: readonly AlertRecord[]): Promise<void> {
    const insert = this.#db.prepare(
      `INSERT INTO alerts (tenant_id, alert_id, rule_id, raised, log_index, raised_at, status, acknowledged_by,
        acknowledged_at, resolved_by, resolved_at, resolution_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT DO NOTHING`,
    );
    this.#db.transaction((all: readonly AlertRecord[]) => {
      for (const a of all) {
        insert.run(
          a.tenantId,
          a.alertId,
          a.ruleId,
          JSON.stringify(a.raised),
          a.logIndex,
          a.raisedAt,
          a.status,
          a.acknowledgedBy,
          a.acknowledgedAt,
          a.resolvedBy,
          a.resolvedAt,
          a.resolutionIndex,
        );
      }
    })(records);
  }

  async findAlert(tenantId: number, alertId: string): Promise<AlertRecord | undefined> {
    if (!this.#hasTables) return undefined;
    const row = this.#db.prepare("SELECT * FROM alerts WHERE tenant_id = ? AND alert_id = ?").get(tenantId, alertId) as
      | AlertRow
      | undefined;
    return row && toAlert(row);
  }

  async listAlerts(
    tenantId: number,
    options: { status?: AlertStatus; ruleId?: string; limit: number },
  ): Promise<AlertRecord[]> {
    if (!this.#hasTables) return [];
    const status = options.status ?? null;
    const rule = options.ruleId ?? null;
    const rows = this.#db
      .prepare(
        `SELECT * FROM alerts WHERE tenant_id = ? AND (? IS NULL OR status = ?) AND (? IS NULL OR rule_id = ?)
          ORDER BY log_index DESC, alert_id DESC LIMIT ?`,
      )
      .all(tenantId, status, status, rule, rule, options.limit) as AlertRow[];
    return rows.map(toAlert);
  }

  async transitionAlert(
    tenantId: number,
    alertId: string,
    step: { to: "acknowledged" | "resolved"; by: string; at: string },
  ): Promise<AlertTransitionOutcome> {
    const done =
      step.to === "acknowledged"
        ? this.#db
            .prepare(
              `UPDATE alerts SET status = 'acknowledged', acknowledged_by = ?, acknowledged_at = ?
                WHERE tenant_id = ? AND alert_id = ? AND status = 'open'`,
            )
            .run(step.by, step.at, tenantId, alertId)
        : this.#db
            .prepare(
              `UPDATE alerts SET status = 'resolved', resolved_by = ?, resolved_at = ?
                WHERE tenant_id = ? AND alert_id = ? AND status IN ('open', 'acknowledged')`,
            )
            .run(step.by, step.at, tenantId, alertId);
    if (done.changes === 1) return "changed";
    return (await this.findAlert(tenantId, alertId)) === undefined ? "not_found" : "not_allowed";
  }

  async recordResolution(tenantId: number, alertId: string, logIndex: number): Promise<void> {
    this.#db
      .prepare(
        `UPDATE alerts SET resolution_index = ?
          WHERE tenant_id = ? AND alert_id = ? AND status = 'resolved' AND resolution_index IS NULL`,
      )
      .run(logIndex, tenantId, alertId);
  }

  async alertFollowerState(tenantId: number): Promise<AlertFollowerState> {
    const row = this.#hasTables
      ? (this.#db.prepare("SELECT covered, snapshot FROM alert_follower WHERE tenant_id = ?").get(tenantId) as
          | { covered: number; snapshot: string | null }
          | undefined)
      : undefined;
    return row === undefined
      ? { covered: 0, snapshot: null }
      : { covered: row.covered, snapshot: row.snapshot === null ? null : (JSON.parse(row.snapshot) as JsonObject) };
  }

  async saveAlertFollowerState(tenantId: number, fromCovered: number, state: AlertFollowerState): Promise<void> {
    const snapshot = state.snapshot === null ? null : JSON.stringify(state.snapshot);
    // One writer per file: the row is created and compared in one synchronous step.
    this.#db
      .prepare("INSERT INTO alert_follower (tenant_id, covered, snapshot) VALUES (?, 0, NULL) ON CONFLICT DO NOTHING")
      .run(tenantId);
    const saved = this.#db
      .prepare("UPDATE alert_follower SET covered = ?, snapshot = ? WHERE tenant_id = ? AND covered = ?")
      .run(state.covered, snapshot, tenantId, fromCovered).changes;
    if (saved !== 1) throw cursorMoved(tenantId, fromCovered);
  }
}

export function cursorMoved(tenantId: number, fromCovered: number): TrailproofError {
  return new TrailproofError(
    "FOLLOWER_CURSOR_MOVED",
    `the alert follower of tenant ${tenantId} is no longer at ${fromCovered}: another evaluation saved first`,
  );
}
