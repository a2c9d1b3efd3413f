// Entries' leaf data back to back as RFC 6962 leaf-hash inputs (0x00 ||
// leaf data, section 2.1), so a batch of entries crosses to a hashing thread
// as one buffer, with no object, copy or encoding per entry on the way.

import { TrailproofError } from "../errors.js";

export interface PackedLeaves {
  /**
   * Leaf i's hash input, 0x00 then its leaf data, is bytes[offsets[i],
   * offsets[i + 1]). No other view of bytes.buffer is in use, so a hasher
   * may move the whole buffer to another thread.
   */
  bytes: Uint8Array;
  /** leafCount + 1 ascending offsets; offsets[0] is 0. */
  offsets: Uint32Array;
}

export function leafCount(leaves: PackedLeaves): number {
  return leaves.offsets.length - 1;
}

/** Packs `leaves` into one new buffer. */
export function packLeaves(leaves: readonly Uint8Array[]): PackedLeaves {
  let length = 0;
  for (const leaf of leaves) length += 1 + leaf.length;
  const bytes = new Uint8Array(length);
  const offsets = new Uint32Array(leaves.length + 1);
  let at = 0;
  leaves.forEach((leaf, i) => {
    // bytes[at] stays 0x00, the leaf prefix: a new buffer is zeroed.
    bytes.set(leaf, at + 1);
    at += 1 + leaf.length;
    offsets[i + 1] = at;
  });
  return { bytes, offsets };
}

/**
 * Fills one PackedLeaves at a time. Each batch gets a buffer of its own,
 * since a SubtreeHasher may move it to another thread.
 */
export class LeafPacker {
  readonly #maxBytes: number;
  readonly #maxLeaves: number;
  #bytes: Uint8Array | undefined;
  #offsets: Uint32Array;
  /** Buffers of maxBytes given back after hashing: a new one costs zeroing and page faults. */
  readonly #spare: ArrayBuffer[] = [];
  #count = 0;
  #used = 0;

  /** A batch closes at maxLeaves leaves or maxBytes bytes, whichever comes first; a bigger single leaf gets a batch of its own. */
  constructor(maxLeaves: number, maxBytes: number) {
    this.#maxLeaves = maxLeaves;
    this.#maxBytes = maxBytes;
    this.#offsets = new Uint32Array(maxLeaves + 1);
  }

  get count(): number {
    return this.#count;
  }

  /** Whether a leaf of `length` bytes still fits in this batch. */
  fits(length: number): boolean {
    return this.#count < this.#maxLeaves && this.#used + 1 + length <= (this.#bytes?.length ?? this.#maxBytes);
  }

  /** Adds data[start, end) as the next leaf. Requires fits(end - start) or an empty batch. */
  add(data: Uint8Array, start = 0, end = data.length): void {
    const length = end - start;
    if (!this.fits(length)) {
      if (this.#count > 0) throw new TrailproofError("VERIFY_BATCH_INVALID", "the batch is full");
      this.#bytes = new Uint8Array(1 + length);
    }
    if (!this.#bytes) {
      const spare = this.#spare.pop();
      this.#bytes = spare ? new Uint8Array(spare) : new Uint8Array(this.#maxBytes);
    }
    this.#bytes[this.#used] = 0x00;
    this.#bytes.set(start === 0 && end === data.length ? data : data.subarray(start, end), this.#used + 1);
    this.#used += 1 + length;
    this.#count++;
    this.#offsets[this.#count] = this.#used;
  }

  /**
   * Adds leaves data[starts[k], ends[k]) for k from `from` up to `to`, in
   * order, until the batch is full; returns how many were added (at least
   * one when the batch is empty). Leaves one byte apart in `data`, as lines
   * of a file are, are copied together, their separators becoming prefixes.
   */
  addRun(data: Uint8Array, starts: ArrayLike<number>, ends: ArrayLike<number>, from: number, to: number): number {
    let k = from;
    while (k < to) {
      const first = starts[k] as number;
      if (!this.fits((ends[k] as number) - first)) {
        if (this.#count > 0) break;
        this.add(data, first, ends[k] as number);
        k++;
        continue;
      }
      // The longest run of adjacent leaves from k that still fits.
      let last = k;
      while (
        last + 1 < to &&
        starts[last + 1] === (ends[last] as number) + 1 &&
        this.#count + (last + 1 - k) < this.#maxLeaves &&
        this.#used + 1 + (ends[last + 1] as number) - first <= (this.#bytes?.length ?? this.#maxBytes)
      ) {
        last++;
      }
      if (!this.#bytes) {
        const spare = this.#spare.pop();
        this.#bytes = spare ? new Uint8Array(spare) : new Uint8Array(this.#maxBytes);
      }
      const bytes = this.#bytes;
      const base = this.#used + 1 - first;
      bytes.set(data.subarray(first, ends[last] as number), base + first);
      for (let j = k; j <= last; j++) {
        bytes[base + (starts[j] as number) - 1] = 0x00;
        this.#count++;
        this.#offsets[this.#count] = base + (ends[j] as number);
      }
      this.#used = base + (ends[last] as number);
      k = last + 1;
    }
    return k - from;
  }

  /** Takes back a batch's bytes once nothing reads them, to fill again. */
  recycle(bytes: Uint8Array): void {
    const buffer = bytes.buffer;
    if (buffer instanceof ArrayBuffer && buffer.byteLength === this.#maxBytes && this.#spare.length < 4) {
      this.#spare.push(buffer);
    }
  }

  /** The batch so far (possibly empty); the packer starts a new one. */
  take(): PackedLeaves {
    const packed: PackedLeaves = {
      bytes: this.#bytes?.subarray(0, this.#used) ?? new Uint8Array(0),
      offsets: this.#offsets.slice(0, this.#count + 1),
    };
    this.#bytes = undefined;
    this.#count = 0;
    this.#used = 0;
    return packed;
  }
}
