// Retention policies and legal holds (docs/retention.md): how long each
// tenant keeps entries' bodies, and holds that stop pruning of what they
// cover. The store keeps them; the service decides (dual control, logging)
// and the pruner (retention/prune-run.ts) reads them.

/** What a rule matches: an entry's category, a prefix of its action, or one of its tags. */
export type RetentionMatch = "category" | "action_prefix" | "tag";

export interface RetentionRule {
  match: RetentionMatch;
  value: string;
  /** Days an entry's body is kept after it was received. */
  keepDays: number;
}

export interface RetentionPolicy {
  /** Days for entries no rule matches; null keeps them forever (the default). */
  defaultKeepDays: number | null;
  rules: RetentionRule[];
}

export interface StoredRetentionPolicy extends RetentionPolicy {
  /** Who set it and when; null while never set (keep everything forever). */
  updatedBy: string | null;
  updatedAt: string | null;
}

/** What a hold covers. A time range is on occurred_at, [from, to). */
export type LegalHoldScope =
  | { type: "target"; targetType: string; targetId: string }
  | { type: "actor"; actorId: string }
  | { type: "tag"; tag: string }
  | { type: "time_range"; from: string; to: string };

export interface LegalHold {
  holdId: string;
  tenantId: number;
  scope: LegalHoldScope;
  reason: string;
  /** After this time the hold stops protecting; null: until lifted. */
  expiresAt: string | null;
  placedBy: string;
  placedAt: string;
  liftedBy: string | null;
  liftedAt: string | null;
}

export interface RetentionStore {
  /** The tenant's policy; keep-forever with no rules when never set. */
  retentionPolicy(tenantId: number): Promise<StoredRetentionPolicy>;
  /** Replaces the tenant's policy whole. */
  setRetentionPolicy(tenantId: number, policy: RetentionPolicy, by: string, at: string): Promise<void>;
  insertLegalHold(hold: LegalHold): Promise<void>;
  findLegalHold(tenantId: number, holdId: string): Promise<LegalHold | undefined>;
  /** Every hold of the tenant, lifted ones included, oldest first. */
  listLegalHolds(tenantId: number): Promise<LegalHold[]>;
  /**
   * Lifts a hold that is not lifted yet, in one atomic step (two lifts of
   * one hold never both succeed). Returns false, changing nothing, if it is
   * absent or already lifted.
   */
  liftLegalHold(tenantId: number, holdId: string, by: string, at: string): Promise<boolean>;
}

/** The policy of a tenant that never set one: keep every body forever. */
export const KEEP_FOREVER: StoredRetentionPolicy = {
  defaultKeepDays: null,
  rules: [],
  updatedBy: null,
  updatedAt: null,
};

export interface LegalHoldRow {
  hold_id: string;
  tenant_id: number;
  scope: string | LegalHoldScope;
  reason: string;
  expires_at: string | null;
  placed_by: string;
  placed_at: string;
  lifted_by: string | null;
  lifted_at: string | null;
}

/** A hold row of either store (SQLite keeps the scope as JSON text, PostgreSQL as jsonb). */
export function toLegalHold(r: LegalHoldRow): LegalHold {
  return {
    holdId: r.hold_id,
    tenantId: Number(r.tenant_id),
    scope: typeof r.scope === "string" ? (JSON.parse(r.scope) as LegalHoldScope) : r.scope,
    reason: r.reason,
    expiresAt: r.expires_at,
    placedBy: r.placed_by,
    placedAt: r.placed_at,
    liftedBy: r.lifted_by,
    liftedAt: r.lifted_at,
  };
}
