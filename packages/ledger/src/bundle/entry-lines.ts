// Entries as the lines an export bundle (format v2) and GET /v1/log/entries
// serve them (docs/log-format.md): an entry's leaf data, or for an entry
// whose body retention pruned, its stand-in line with the leaf hash and the
// retention.prune entry that lists it. A blank body with no recorded prune
// (removed outside pruning) is served as the empty line it is: verification
// reports it, nothing here covers for it.
import { encodePrunedEntryLine, utf8 } from "@trailproof/core";
import type { LogStore, PrunedRange, StoredEntry } from "../store/log-store.js";

const NEWLINE = new Uint8Array([0x0a]);

export class EntryLines {
  readonly #store: LogStore;
  readonly #tenantId: number;
  #ranges: PrunedRange[] | undefined;

  constructor(store: LogStore, tenantId: number) {
    this.#store = store;
    this.#tenantId = tenantId;
  }

  /** `entries` (in index order) as newline-terminated lines, in one buffer. */
  async encode(entries: readonly StoredEntry[]): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    for (const e of entries) {
      if (e.leafData.length > 0) {
        parts.push(e.leafData, NEWLINE);
        continue;
      }
      const range = await this.#rangeOf(e.index);
      if (range) {
        parts.push(utf8(encodePrunedEntryLine({ index: e.index, leafHash: e.leafHash, pruneIndex: range.pruneIndex })));
      }
      parts.push(NEWLINE);
    }
    return Buffer.concat(parts);
  }

  /** The recorded range holding `index`; read again once when none does (a prune may have landed since). */
  async #rangeOf(index: number): Promise<PrunedRange | undefined> {
    const find = (ranges: readonly PrunedRange[]) => ranges.find((r) => r.start <= index && index < r.end);
    if (this.#ranges) {
      const found = find(this.#ranges);
      if (found) return found;
    }
    this.#ranges = await this.#store.readPrunedRanges(this.#tenantId);
    return find(this.#ranges);
  }
}
