// Whether a legal hold protects an entry from pruning (docs/retention.md):
// a hold is active until lifted or past its expiry, and covers entries by
// target, actor id, tag, or occurred_at in [from, to).
import type { LegalHold } from "../store/retention-store.js";

export function isHoldActive(hold: LegalHold, nowMs: number): boolean {
  return hold.liftedAt === null && (hold.expiresAt === null || Date.parse(hold.expiresAt) > nowMs);
}

export function holdCovers(hold: LegalHold, event: Record<string, unknown>): boolean {
  const scope = hold.scope;
  const obj = (v: unknown) => (v && typeof v === "object" ? (v as Record<string, unknown>) : {});
  switch (scope.type) {
    case "target": {
      const target = obj(event.target);
      return target.type === scope.targetType && target.id === scope.targetId;
    }
    case "actor":
      return obj(event.actor).id === scope.actorId;
    case "tag":
      return Array.isArray(event.tags) && event.tags.includes(scope.tag);
    case "time_range": {
      const occurred = typeof event.occurred_at === "string" ? Date.parse(event.occurred_at) : Number.NaN;
      return occurred >= Date.parse(scope.from) && occurred < Date.parse(scope.to);
    }
  }
}
