// What the log store keeps beside each leaf, checked against the leaf: the
// lookup columns reads resolve an entry by (its event id, its received
// time), and the personal values kept outside the leaf, each of which must
// open the salted commitment the leaf holds for it.
import {
  type Hasher,
  isKeyedContentDigest,
  type JsonValue,
  recomputeContentDigest,
  verifyDisclosure,
} from "@trailproof/core";
import type { OpenedDisclosure } from "../privacy/subject-vault.js";
import type { StoredLeaf } from "../store/log-store.js";
import type { CommittedEntry, ReportDivergence } from "./derived-rows.js";

/** Entries and leaves are the same indexes, in the same order. */
export function checkLookupColumns(
  leaves: readonly StoredLeaf[],
  entries: readonly CommittedEntry[],
  report: ReportDivergence,
): void {
  leaves.forEach((leaf, k) => {
    const event = entries[k]?.event;
    if (!event) return;
    if (event.id !== leaf.eventId) {
      report(
        "LOOKUP_MISMATCH",
        leaf.index,
        `entry ${leaf.index} is looked up by event id ${JSON.stringify(leaf.eventId)}, but its leaf is event ${JSON.stringify(event.id)}`,
      );
    }
    const received = typeof event.received_at === "string" ? Date.parse(event.received_at) : Number.NaN;
    if (received !== leaf.receivedMs) {
      report(
        "LOOKUP_MISMATCH",
        leaf.index,
        `entry ${leaf.index} is stored as received at ${leaf.receivedMs} ms, but its leaf says ${String(event.received_at)}`,
      );
    }
  });
}

function commitmentsOf(event: Record<string, unknown>): Record<string, unknown> {
  const privacy = event.privacy;
  const commitments =
    privacy && typeof privacy === "object" ? (privacy as Record<string, unknown>).commitments : undefined;
  return commitments && typeof commitments === "object" ? (commitments as Record<string, unknown>) : {};
}

/** What checkDisclosures counts beside its divergences. */
export interface DisclosureCounts {
  /** Values erased by a recorded erasure (tombstones): reported apart, never a divergence. */
  erased: number;
  /** Values sealed and not opened: verification was given no master key. */
  sealed: number;
  /** Entries whose content digest cannot be recomputed because a value is erased. */
  digestsErased: number;
}

/**
 * Every stored personal value of `entries` (opened by the SubjectVault)
 * opens its commitment; every commitment has a row. A tombstone (an erased
 * value) is fine when its subject's erasure is recorded; one without is a
 * value removed outside erasure, as is a commitment without any row.
 * `stored` is the opened readDisclosureRange over the same indexes.
 */
export function checkDisclosures(
  hasher: Hasher,
  entries: readonly CommittedEntry[],
  stored: readonly OpenedDisclosure[],
  report: ReportDivergence,
  counts: DisclosureCounts,
): void {
  const byIndex = new Map(entries.map((e) => [e.index, e.event]));
  const seen = new Map<number, Set<string>>();
  for (const d of stored) {
    const event = byIndex.get(d.index);
    if (!event) continue;
    const pointers = seen.get(d.index) ?? new Set<string>();
    pointers.add(d.pointer);
    seen.set(d.index, pointers);
    const commitment = commitmentsOf(event)[d.pointer];
    if (typeof commitment !== "string") {
      report(
        "DISCLOSURE_MISMATCH",
        d.index,
        `entry ${d.index} has a stored value for ${d.pointer} but no commitment to it`,
      );
      continue;
    }
    if (d.state === "erased") {
      counts.erased++;
      continue;
    }
    if (d.state === "sealed") {
      counts.sealed++;
      continue;
    }
    if (d.state === "unreadable") {
      report(
        "DISCLOSURE_MISMATCH",
        d.index,
        d.reason === "removed outside erasure"
          ? `entry ${d.index}'s value for ${d.pointer}: disclosure removed outside erasure`
          : `entry ${d.index}'s stored value for ${d.pointer} ${d.reason}`,
      );
      continue;
    }
    try {
      verifyDisclosure(hasher, commitment, { pointer: d.pointer, salt: d.salt, value: d.value });
    } catch {
      report(
        "DISCLOSURE_MISMATCH",
        d.index,
        `entry ${d.index}'s stored value for ${d.pointer} does not open its commitment`,
      );
    }
  }
  for (const { index, event } of entries) {
    if (!event) continue;
    const have = seen.get(index);
    for (const pointer of Object.keys(commitmentsOf(event))) {
      if (!have?.has(pointer)) {
        report("DISCLOSURE_MISMATCH", index, `entry ${index}'s value for ${pointer} is missing beside its commitment`);
      }
    }
  }
}

/**
 * Each keyed idempotency digest (log format v2) equals the HMAC the tenant's
 * digest key gives over the leaf and its personal values: an edited digest
 * would make a retry of different content pass as a duplicate. Digests of
 * v1 entries are unkeyed and cannot be recomputed without the event as sent;
 * nor can those of entries with an erased (or unopened) value: they are
 * counted as not checkable. An entry whose value is missing or fails its
 * commitment is already named by checkDisclosures.
 */
export function checkContentDigests(
  hasher: Hasher,
  digestKey: Uint8Array,
  leaves: readonly StoredLeaf[],
  stored: readonly OpenedDisclosure[],
  report: ReportDivergence,
  counts: DisclosureCounts,
): void {
  const values = new Map<number, { pointer: string; value: JsonValue }[]>();
  const closed = new Set<number>();
  for (const d of stored) {
    if (d.state !== "value") {
      closed.add(d.index);
      continue;
    }
    const list = values.get(d.index) ?? [];
    list.push({ pointer: d.pointer, value: d.value });
    values.set(d.index, list);
  }
  for (const leaf of leaves) {
    if (!isKeyedContentDigest(leaf.contentDigest)) continue;
    if (closed.has(leaf.index)) {
      counts.digestsErased++;
      continue;
    }
    const result = recomputeContentDigest(hasher, digestKey, leaf.leafData, values.get(leaf.index) ?? []);
    if ("digest" in result && result.digest !== leaf.contentDigest) {
      report("LOOKUP_MISMATCH", leaf.index, `entry ${leaf.index}'s idempotency digest differs from its leaf's content`);
    }
  }
}
