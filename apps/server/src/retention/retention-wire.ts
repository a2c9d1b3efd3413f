// Retention policies and legal holds between the store's shape and the wire's
// (protocol retention-schemas.ts), and the tenant a retention route acts on.
import { TrailproofError } from "@trailproof/core";
import {
  isHoldActive,
  type Ledger,
  type LegalHold,
  type LegalHoldScope,
  type PruneRunResult,
  type RetentionPolicy,
  type StoredRetentionPolicy,
  type TenantRecord,
} from "@trailproof/ledger";
import type { WireLegalHold, WireLegalHoldScope, WireRetention, WireRetentionRule } from "@trailproof/protocol";
import type { FastifyRequest } from "fastify";

export function toWireRetention(tenant: string, p: StoredRetentionPolicy): WireRetention {
  return {
    tenant,
    default_keep_days: p.defaultKeepDays,
    rules: p.rules.map((r) => ({ match: r.match, value: r.value, keep_days: r.keepDays })),
    updated_by: p.updatedBy,
    updated_at: p.updatedAt,
  };
}

/** The policy a PUT body (or an approved request carrying it) asks for; bad input is RETENTION_INVALID. */
export function fromWireRetention(body: { default_keep_days?: unknown; rules: unknown }): RetentionPolicy {
  const rules = Array.isArray(body.rules) ? (body.rules as WireRetentionRule[]) : [];
  const seen = new Set<string>();
  const problems: { pointer: string; message: string }[] = [];
  rules.forEach((r, k) => {
    const key = `${r.match}:${r.value}`;
    if (seen.has(key))
      problems.push({ pointer: `/rules/${k}`, message: `a second rule for ${r.match} ${JSON.stringify(r.value)}` });
    seen.add(key);
  });
  if (problems.length > 0) {
    throw new TrailproofError("RETENTION_INVALID", "each category, action prefix and tag has at most one rule", {
      problems,
    });
  }
  return {
    defaultKeepDays: typeof body.default_keep_days === "number" ? body.default_keep_days : null,
    rules: rules.map((r) => ({ match: r.match, value: r.value, keepDays: r.keep_days })),
  };
}

export function fromWireScope(s: WireLegalHoldScope): LegalHoldScope {
  switch (s.type) {
    case "target":
      return { type: "target", targetType: s.target_type, targetId: s.target_id };
    case "actor":
      return { type: "actor", actorId: s.actor_id };
    case "tag":
      return { type: "tag", tag: s.tag };
    case "time_range": {
      const from = isoTime(s.from, "/scope/from");
      const to = isoTime(s.to, "/scope/to");
      if (!(from < to)) {
        throw new TrailproofError("RETENTION_INVALID", "a hold's time range needs from < to", {
          problems: [{ pointer: "/scope/to", message: "must be later than from" }],
        });
      }
      return { type: "time_range", from, to };
    }
  }
}

/**
 * A date-time the schema accepted, as UTC ISO text; one JavaScript cannot
 * represent (a leap second, a year past 275760) is RETENTION_INVALID, never a 500.
 */
export function isoTime(value: string, pointer: string): string {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) {
    throw new TrailproofError("RETENTION_INVALID", `${JSON.stringify(value)} is not a time this service can hold`, {
      problems: [{ pointer, message: "must be a representable date-time" }],
    });
  }
  return new Date(ms).toISOString();
}

export function toWireScope(s: LegalHoldScope): WireLegalHoldScope {
  switch (s.type) {
    case "target":
      return { type: "target", target_type: s.targetType, target_id: s.targetId };
    case "actor":
      return { type: "actor", actor_id: s.actorId };
    case "tag":
      return { type: "tag", tag: s.tag };
    case "time_range":
      return { type: "time_range", from: s.from, to: s.to };
  }
}

export function toWireHold(h: LegalHold, nowMs: number): WireLegalHold {
  return {
    id: h.holdId,
    scope: toWireScope(h.scope),
    reason: h.reason,
    expires_at: h.expiresAt,
    placed_by: h.placedBy,
    placed_at: h.placedAt,
    lifted_by: h.liftedBy,
    lifted_at: h.liftedAt,
    active: isHoldActive(h, nowMs),
  };
}

export function toWirePrune(r: PruneRunResult) {
  return {
    prune: {
      tenant: r.tenant,
      prune_index: r.pruneIndex,
      ranges: r.ranges,
      entries: r.entries,
      by_category: r.byCategory,
      kept_by_hold: r.keptByHold,
      completed: r.completed,
      ...(r.skipped === undefined ? {} : { skipped: r.skipped }),
    },
  };
}

/**
 * The tenant a /v1/tenants/{tenant}/... retention route acts on: the
 * operator names any; a tenant's key only its own (another tenant's name is
 * answered as absent, never as forbidden: no existence oracle).
 */
export async function routeTenant(ledger: Ledger, request: FastifyRequest, name: string): Promise<TenantRecord> {
  const principal = request.principal;
  if (principal && principal.tenantId !== null && principal.tenant !== name) {
    throw new TrailproofError("TENANT_NOT_FOUND", `no tenant named ${JSON.stringify(name)}`);
  }
  return ledger.tenantRecord(name);
}
