// Which retention rule governs an entry (docs/retention.md, "Precedence"):
// the most specific match wins. A tag rule first (several matching tags:
// the longest keep), then the longest matching action prefix, then the
// entry's category, then the tenant default (null: kept forever).
import type { RetentionPolicy } from "../store/retention-store.js";

/** Days the entry's body is kept after it was received; null keeps it forever. */
export function keepDaysOf(policy: RetentionPolicy, event: Record<string, unknown>): number | null {
  const tags = Array.isArray(event.tags) ? event.tags.filter((t): t is string => typeof t === "string") : [];
  const byTag = policy.rules.filter((r) => r.match === "tag" && tags.includes(r.value));
  if (byTag.length > 0) return Math.max(...byTag.map((r) => r.keepDays));
  const action = typeof event.action === "string" ? event.action : "";
  const byPrefix = policy.rules
    .filter((r) => r.match === "action_prefix" && action.startsWith(r.value))
    .sort((a, b) => b.value.length - a.value.length || b.keepDays - a.keepDays)[0];
  if (byPrefix) return byPrefix.keepDays;
  const byCategory = policy.rules.find((r) => r.match === "category" && r.value === event.category);
  if (byCategory) return byCategory.keepDays;
  return policy.defaultKeepDays;
}

/** The shortest keep any rule or the default gives: nothing received later than now minus it can be pruned. */
export function shortestKeepDays(policy: RetentionPolicy): number | null {
  const all = [
    ...policy.rules.map((r) => r.keepDays),
    ...(policy.defaultKeepDays === null ? [] : [policy.defaultKeepDays]),
  ];
  return all.length === 0 ? null : Math.min(...all);
}
