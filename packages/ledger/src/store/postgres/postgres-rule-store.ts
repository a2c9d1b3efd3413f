// RuleStore on PostgreSQL (schema/010-detection.ts): every statement in its
// tenant's row-level security scope. A lifecycle step is one conditional
// UPDATE and the follower's save locks and compares the cursor row first,
// so two nodes never both take one step or both save one advance.
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
import type { PgSql } from "./postgres-client.js";
import { inTenant } from "./tenant-scope.js";

export class PostgresRuleStore implements RuleStore {
  readonly #sql: PgSql;

  /** Requires the schema migrated (10 or later) and `sql` connected as the app role. */
  constructor(sql: PgSql) {
    this.#sql = sql;
  }

  async insertRuleVersion(r: RuleVersionRecord): Promise<boolean> {
    return inTenant(this.#sql, r.tenantId, async (tx) => {
      const done = await tx`INSERT INTO rule_versions (tenant_id, rule_id, version, definition, deleted, made_by,
          made_at, log_index)
        VALUES (${r.tenantId}, ${r.ruleId}, ${r.version}, ${tx.json(r.definition)}, ${r.deleted}, ${r.by}, ${r.at},
          ${r.logIndex})
        ON CONFLICT DO NOTHING`;
      return done.count === 1;
    });
  }

  async ruleVersions(tenantId: number, ruleId: string): Promise<RuleVersionRecord[]> {
    const rows = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<RuleVersionRow[]>`SELECT * FROM rule_versions
        WHERE tenant_id = ${tenantId} AND rule_id = ${ruleId} ORDER BY version`,
    );
    return rows.map(toRuleVersion);
  }

  async allRuleVersions(tenantId: number): Promise<RuleVersionRecord[]> {
    const rows = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<RuleVersionRow[]>`SELECT * FROM rule_versions WHERE tenant_id = ${tenantId} ORDER BY rule_id, version`,
    );
    return rows.map(toRuleVersion);
  }

  async insertAlerts(records: readonly AlertRecord[]): Promise<void> {
    const byTenant = new Map<number, AlertRecord[]>();
    for (const a of records) byTenant.set(a.tenantId, [...(byTenant.get(a.tenantId) ?? []), a]);
    for (const [tenantId, alerts] of byTenant) {
      await inTenant(this.#sql, tenantId, async (tx) => {
        for (const a of alerts) {
          await tx`INSERT INTO alerts (tenant_id, alert_id, rule_id, raised, log_index, raised_at, status,
              acknowledged_by, acknowledged_at, resolved_by, resolved_at, resolution_index)
            VALUES (${a.tenantId}, ${a.alertId}, ${a.ruleId}, ${tx.json(a.raised)}, ${a.logIndex}, ${a.raisedAt},
              ${a.status}, ${a.acknowledgedBy}, ${a.acknowledgedAt}, ${a.resolvedBy}, ${a.resolvedAt},
              ${a.resolutionIndex})
            ON CONFLICT DO NOTHING`;
        }
      });
    }
  }

  async findAlert(tenantId: number, alertId: string): Promise<AlertRecord | undefined> {
    const [row] = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<AlertRow[]>`SELECT * FROM alerts WHERE tenant_id = ${tenantId} AND alert_id = ${alertId}`,
    );
    return row && toAlert(row);
  }

  async listAlerts(
    tenantId: number,
    options: { status?: AlertStatus; ruleId?: string; limit: number },
  ): Promise<AlertRecord[]> {
    const status = options.status ?? null;
    const rule = options.ruleId ?? null;
    const rows = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<AlertRow[]>`SELECT * FROM alerts
        WHERE tenant_id = ${tenantId} AND (${status}::text IS NULL OR status = ${status})
          AND (${rule}::text IS NULL OR rule_id = ${rule})
        ORDER BY log_index DESC, alert_id DESC LIMIT ${options.limit}`,
    );
    return rows.map(toAlert);
  }

  async transitionAlert(
    tenantId: number,
    alertId: string,
    step: { to: "acknowledged" | "resolved"; by: string; at: string },
  ): Promise<AlertTransitionOutcome> {
    return inTenant(this.#sql, tenantId, async (tx) => {
      const done =
        step.to === "acknowledged"
          ? await tx`UPDATE alerts SET status = 'acknowledged', acknowledged_by = ${step.by}, acknowledged_at = ${step.at}
              WHERE tenant_id = ${tenantId} AND alert_id = ${alertId} AND status = 'open'`
          : await tx`UPDATE alerts SET status = 'resolved', resolved_by = ${step.by}, resolved_at = ${step.at}
              WHERE tenant_id = ${tenantId} AND alert_id = ${alertId} AND status IN ('open', 'acknowledged')`;
      if (done.count === 1) return "changed";
      const [row] = await tx`SELECT 1 FROM alerts WHERE tenant_id = ${tenantId} AND alert_id = ${alertId}`;
      return row === undefined ? "not_found" : "not_allowed";
    });
  }

  async recordResolution(tenantId: number, alertId: string, logIndex: number): Promise<void> {
    await inTenant(this.#sql, tenantId, async (tx) => {
      await tx`UPDATE alerts SET resolution_index = ${logIndex}
        WHERE tenant_id = ${tenantId} AND alert_id = ${alertId} AND status = 'resolved' AND resolution_index IS NULL`;
    });
  }

  async alertFollowerState(tenantId: number): Promise<AlertFollowerState> {
    const [row] = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<{ covered: string | number; snapshot: JsonObject | null }[]>`
        SELECT covered, snapshot FROM alert_follower WHERE tenant_id = ${tenantId}`,
    );
    return row === undefined
      ? { covered: 0, snapshot: null }
      : { covered: Number(row.covered), snapshot: row.snapshot };
  }

  async saveAlertFollowerState(tenantId: number, fromCovered: number, state: AlertFollowerState): Promise<void> {
    await inTenant(this.#sql, tenantId, async (tx) => {
      await tx`INSERT INTO alert_follower (tenant_id, covered, snapshot) VALUES (${tenantId}, 0, NULL)
        ON CONFLICT DO NOTHING`;
      const [row] = await tx<{ covered: string | number }[]>`
        SELECT covered FROM alert_follower WHERE tenant_id = ${tenantId} FOR UPDATE`;
      if (row === undefined || Number(row.covered) !== fromCovered) {
        throw new TrailproofError(
          "FOLLOWER_CURSOR_MOVED",
          `the alert follower of tenant ${tenantId} is at ${row?.covered}, not at ${fromCovered}: another node saved first`,
        );
      }
      await tx`UPDATE alert_follower SET covered = ${state.covered},
          snapshot = ${state.snapshot === null ? null : tx.json(state.snapshot)}
        WHERE tenant_id = ${tenantId}`;
    });
  }
}
