// What bundle verification checks of pruned entries' stand-ins (bundle
// format v2, docs/log-format.md): each stand-in names its own position and a
// later retention.prune entry of the bundle that lists it. Anyone can turn
// an entry's leaf data into a stand-in with the right leaf hash (the roots
// still verify), so this listing is what tells a pruned body from a hidden
// one: a stand-in no retention.prune entry in the bundle lists is a divergence.
import { fromUtf8 } from "../bytes.js";
import type { LogVerifier } from "./log-verifier.js";
import { firstUnlisted, rangesOfPruneEvent } from "./prune-listing.js";
import type { PrunedEntry } from "./pruned-entry-line.js";

export interface BundlePrunedEntries {
  /** Stand-ins read, checked or not. */
  entries: number;
  /** Runs of consecutive stand-ins naming the same retention.prune entry, by start. */
  ranges: { start: number; end: number; pruneIndex: number }[];
}

export class BundlePrunedCheck {
  readonly #ranges: { start: number; end: number; pruneIndex: number }[] = [];
  #entries = 0;
  /** Positions of retention.prune entries some stand-in names, with what they list once read (null: lists nothing). */
  readonly #listings = new Map<number, [number, number][] | null | undefined>();

  /** Whether the leaf at `position` must be read for its listing (listing() then). */
  wants(position: number): boolean {
    return this.#listings.has(position);
  }

  /** Records the leaf data of a wanted position: what it lists, if it is a retention.prune event. */
  listing(position: number, bytes: Uint8Array, start: number, end: number): void {
    let event: unknown;
    try {
      event = JSON.parse(fromUtf8(bytes.subarray(start, end)));
    } catch {
      event = null;
    }
    const ranges =
      typeof event === "object" && event !== null && !Array.isArray(event)
        ? rangesOfPruneEvent(event as Record<string, unknown>)
        : undefined;
    this.#listings.set(position, ranges ?? null);
  }

  /**
   * The stand-in at `position`, positions increasing. Reports at once what
   * the line alone shows; whether its retention.prune entry lists it is
   * settled in finish().
   */
  standIn(position: number, entry: PrunedEntry, verifier: LogVerifier): void {
    this.#entries++;
    // A stand-in's own position never lists anything: retention.prune entries are never pruned.
    if (this.#listings.has(position)) this.#listings.set(position, null);
    if (entry.index !== position) {
      verifier.report(
        "ENTRY_MALFORMED",
        position,
        `the pruned entry at position ${position} names index ${entry.index}`,
      );
    }
    if (entry.pruneIndex <= position) {
      verifier.report(
        "PRUNE_RECORD_FORGED",
        position,
        `prune record forged: entry ${position} is served pruned by entry ${entry.pruneIndex}, which does not come after it`,
      );
    } else if (!this.#listings.has(entry.pruneIndex)) {
      this.#listings.set(entry.pruneIndex, undefined);
    }
    const last = this.#ranges.at(-1);
    if (last && last.end === position && last.pruneIndex === entry.pruneIndex) last.end++;
    else this.#ranges.push({ start: position, end: position + 1, pruneIndex: entry.pruneIndex });
  }

  /** After the last entry line (`size` of them): reports each run its retention.prune entry does not list. */
  finish(size: number, verifier: LogVerifier): BundlePrunedEntries {
    for (const r of this.#ranges) {
      if (r.pruneIndex <= r.start) continue;
      const describe = r.end - r.start === 1 ? `entry ${r.start} is` : `entries ${r.start}..${r.end - 1} are`;
      if (r.pruneIndex >= size) {
        // Fails closed: nothing in the bundle says these bodies were pruned and not hidden.
        verifier.report(
          "BODY_REMOVED",
          r.start,
          `${describe} served pruned by entry ${r.pruneIndex}, past the bundle's ${size} entries: no retention.prune entry in the bundle lists them (export again once entry ${r.pruneIndex} is signed)`,
        );
        continue;
      }
      const listed = this.#listings.get(r.pruneIndex);
      const unlisted = listed ? firstUnlisted(listed, r.start, r.end) : r.start;
      if (unlisted < r.end) {
        verifier.report(
          "PRUNE_RECORD_FORGED",
          unlisted,
          `prune record forged: entry ${unlisted} is served pruned by entry ${r.pruneIndex}, which ${listed ? "does not list it" : "is no retention.prune event"}`,
        );
      }
    }
    return { entries: this.#entries, ranges: this.#ranges.map((r) => ({ ...r })) };
  }
}
