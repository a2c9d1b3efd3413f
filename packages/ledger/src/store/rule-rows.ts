// Rows of the detection tables as both stores read them (SQLite keeps JSON
// as text and booleans as 0/1; PostgreSQL as jsonb and boolean).
import type { JsonObject } from "@trailproof/core";
import type { AlertRecord, RuleVersionRecord } from "./rule-store.js";

export interface RuleVersionRow {
  rule_id: string;
  tenant_id: number;
  version: number;
  definition: string | JsonObject;
  deleted: number | boolean;
  made_by: string;
  made_at: string;
  log_index: number | string;
}

export interface AlertRow {
  alert_id: string;
  tenant_id: number;
  rule_id: string;
  raised: string | JsonObject;
  log_index: number | string;
  raised_at: string;
  status: AlertRecord["status"];
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  resolution_index: number | string | null;
}

const json = (v: string | JsonObject): JsonObject => (typeof v === "string" ? (JSON.parse(v) as JsonObject) : v);

export function toRuleVersion(row: RuleVersionRow): RuleVersionRecord {
  return {
    ruleId: row.rule_id,
    tenantId: Number(row.tenant_id),
    version: Number(row.version),
    definition: json(row.definition),
    deleted: row.deleted === true || row.deleted === 1,
    by: row.made_by,
    at: row.made_at,
    logIndex: Number(row.log_index),
  };
}

export function toAlert(row: AlertRow): AlertRecord {
  return {
    alertId: row.alert_id,
    tenantId: Number(row.tenant_id),
    ruleId: row.rule_id,
    raised: json(row.raised),
    logIndex: Number(row.log_index),
    raisedAt: row.raised_at,
    status: row.status,
    acknowledgedBy: row.acknowledged_by,
    acknowledgedAt: row.acknowledged_at,
    resolvedBy: row.resolved_by,
    resolvedAt: row.resolved_at,
    resolutionIndex: row.resolution_index === null ? null : Number(row.resolution_index),
  };
}
