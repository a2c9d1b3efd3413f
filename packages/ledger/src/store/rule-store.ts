// Detection's durable state (docs/alerts.md): alert rules as append-only
// versions, the alerts they raised with each one's lifecycle, and the alert
// follower's cursor kept with the rule engine's snapshot. The service reads
// and writes it; the follower (apps/server alerts/alert-follower.ts) keeps
// the alerts and its state behind the log.
import type { JsonObject } from "@trailproof/core";

/** One version of a rule: never changed once stored. */
export interface RuleVersionRecord {
  ruleId: string;
  tenantId: number;
  /** 1 at creation, +1 at each change (a deletion is a version too). */
  version: number;
  /** The rule's definition as its event carries it (change.after; change.before for a deletion). */
  definition: JsonObject;
  deleted: boolean;
  /** Who made this version (a principal id) and when (RFC 3339). */
  by: string;
  at: string;
  /** The log index of this version's rule.create/update/delete event: the rule is in force after it. */
  logIndex: number;
}

export type AlertStatus = "open" | "acknowledged" | "resolved";

export interface AlertRecord {
  alertId: string;
  tenantId: number;
  ruleId: string;
  /** The raised alert's fields as the engine gave them (the wire's RaisedAlert). */
  raised: JsonObject;
  /** The index of its alert.raise entry. */
  logIndex: number;
  raisedAt: string;
  status: AlertStatus;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  /**
   * The index of the alert.resolve entry, whose note is a personal value:
   * kept only there, sealed, so erasing its subject erases it (no copy here).
   */
  resolutionIndex: number | null;
}

/** What a lifecycle step did. Only `changed` changed anything. */
export type AlertTransitionOutcome = "changed" | "not_found" | "not_allowed";

export interface AlertFollowerState {
  /** Entries of the tenant's log the follower has evaluated. */
  covered: number;
  /** The rule engine's snapshot after them; null before the first save. */
  snapshot: JsonObject | null;
}

export interface RuleStore {
  /**
   * Stores one rule version. Idempotent: a version already stored (the
   * route and the follower both derive it from the same log entry) is left
   * as it is and the call returns false; true when this call stored it.
   */
  insertRuleVersion(record: RuleVersionRecord): Promise<boolean>;
  /** Every version of one rule, oldest first; empty when there is no such rule. */
  ruleVersions(tenantId: number, ruleId: string): Promise<RuleVersionRecord[]>;
  /** Every version of every rule of the tenant, by rule id then version. */
  allRuleVersions(tenantId: number): Promise<RuleVersionRecord[]>;

  /** Stores alerts; one already stored (same tenant and id) is left as it is. */
  insertAlerts(records: readonly AlertRecord[]): Promise<void>;
  findAlert(tenantId: number, alertId: string): Promise<AlertRecord | undefined>;
  /** The tenant's alerts, newest (highest log index) first, at most `limit`. */
  listAlerts(
    tenantId: number,
    options: { status?: AlertStatus; ruleId?: string; limit: number },
  ): Promise<AlertRecord[]>;
  /**
   * One lifecycle step, as one compare-and-set: open→acknowledged,
   * open→resolved and acknowledged→resolved; anything else is `not_allowed`
   * and changes nothing. Two nodes taking the same step: one `changed`.
   */
  transitionAlert(
    tenantId: number,
    alertId: string,
    step: { to: "acknowledged" | "resolved"; by: string; at: string },
  ): Promise<AlertTransitionOutcome>;
  /** Records the index of a resolved alert's alert.resolve entry; once (later calls change nothing). */
  recordResolution(tenantId: number, alertId: string, logIndex: number): Promise<void>;

  /** The alert follower's cursor and snapshot ({covered: 0, snapshot: null} before the first save). */
  alertFollowerState(tenantId: number): Promise<AlertFollowerState>;
  /**
   * Saves the cursor and snapshot together, as a compare-and-set from
   * `fromCovered`: when the stored cursor is elsewhere (another node saved
   * first), throws FOLLOWER_CURSOR_MOVED and writes nothing.
   */
  saveAlertFollowerState(tenantId: number, fromCovered: number, state: AlertFollowerState): Promise<void>;
}
