// Stats grouped by actor, with each group named by its pseudonym instead of
// the actor's id. Distinct ids have distinct pseudonyms (a 128-bit HMAC), so
// the counts and the order of the groups are unchanged.
import type { StatsResult } from "@trailproof/ledger";

export function pseudonymiseGroups(stats: StatsResult, pseudonym: (id: string) => string): StatsResult {
  const rename = (groups: Record<string, number>) =>
    Object.fromEntries(Object.entries(groups).map(([id, n]) => [pseudonym(id), n]));
  return {
    total: stats.total,
    buckets: stats.buckets.map((b) => (b.groups ? { ...b, groups: rename(b.groups) } : b)),
    ...(stats.groups ? { groups: stats.groups.map(pseudonym) } : {}),
  };
}
