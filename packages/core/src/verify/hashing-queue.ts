// Batches of leaves in flight to a SubtreeHasher, taken back in order: the
// caller reads and packs the next batch while earlier ones are hashed, and
// memory stays bounded by `depth` batches.
import { leafCount, type PackedLeaves } from "./packed-leaves.js";
import { HashedLeaves, type HashedSubtrees, type SubtreeHasher } from "./subtree-hasher.js";

interface InFlight<T> {
  first: number;
  count: number;
  hashed: Promise<HashedSubtrees>;
  context: T;
}

export class HashingQueue<T> {
  readonly #hasher: SubtreeHasher;
  readonly #depth: number;
  readonly #onHashed: (batch: HashedLeaves, context: T) => void | Promise<void>;
  readonly #recycle: ((bytes: Uint8Array) => void) | undefined;
  readonly #inFlight: InFlight<T>[] = [];

  /**
   * `onHashed` runs once per batch, in push order, never concurrently;
   * `recycle` then gets the batch's leaf bytes back (LeafPacker.recycle).
   * Requires depth >= 1.
   */
  constructor(
    hasher: SubtreeHasher,
    depth: number,
    onHashed: (batch: HashedLeaves, context: T) => void | Promise<void>,
    recycle?: (bytes: Uint8Array) => void,
  ) {
    this.#hasher = hasher;
    this.#depth = depth;
    this.#onHashed = onHashed;
    this.#recycle = recycle;
  }

  /** Starts hashing leaves [first, first + leafCount(leaves)); returns once at most `depth` batches are in flight. */
  async push(first: number, leaves: PackedLeaves, context: T): Promise<void> {
    const count = leafCount(leaves);
    if (count === 0) return;
    const hashed = this.#hasher.hashSubtrees(first, leaves);
    // Awaited in order below; until then a rejection must not count as unhandled.
    hashed.catch(() => {});
    this.#inFlight.push({ first, count, hashed, context });
    while (this.#inFlight.length > this.#depth) await this.#takeOldest();
  }

  /**
   * Queues leaves [first, first + count) already hashed (nodes as
   * hashSubtrees lays them out), in order with the batches pushed around it.
   */
  async pushHashed(first: number, count: number, nodes: Uint8Array, context: T): Promise<void> {
    if (count === 0) return;
    this.#inFlight.push({ first, count, hashed: Promise.resolve({ nodes, bytes: new Uint8Array(0) }), context });
    while (this.#inFlight.length > this.#depth) await this.#takeOldest();
  }

  /** Waits for every batch still in flight. */
  async drain(): Promise<void> {
    while (this.#inFlight.length > 0) await this.#takeOldest();
  }

  async #takeOldest(): Promise<void> {
    const oldest = this.#inFlight.shift() as InFlight<T>;
    const { nodes, bytes } = await oldest.hashed;
    this.#recycle?.(bytes);
    await this.#onHashed(new HashedLeaves(oldest.first, oldest.count, nodes), oldest.context);
  }
}
