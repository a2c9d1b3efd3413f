// The default spool: events wait in memory, bounded by count and bytes. Not
// durable (a killed process loses what the service had not acknowledged);
// use FileSpool from @trailproof/client/node where that matters.
import { utf8 } from "@trailproof/core";
import { SpoolError } from "./errors.js";
import { RoomWaiters } from "./room-waiters.js";
import type { Spool, SpooledEvent, WhenFull } from "./spool.js";

export interface MemorySpoolOptions {
  /** Most events held at once (default 100,000). */
  maxEvents?: number;
  /** Most bytes of event JSON held at once (default 64 MiB). */
  maxBytes?: number;
  /** Default "throw": a browser tab must not pile up work behind a dead service. */
  whenFull?: WhenFull;
}

export class MemorySpool implements Spool {
  readonly durable = false;
  readonly #maxEvents: number;
  readonly #maxBytes: number;
  readonly #whenFull: WhenFull;
  /** id -> bytes of each held event; an id recorded twice is held twice. */
  readonly #held = new Map<string, number[]>();
  readonly #waiters = new RoomWaiters();
  #events = 0;
  #bytes = 0;

  constructor(options: MemorySpoolOptions = {}) {
    this.#maxEvents = options.maxEvents ?? 100_000;
    this.#maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.#whenFull = options.whenFull ?? "throw";
  }

  recovered(): SpooledEvent[] {
    return [];
  }

  append(event: SpooledEvent): Promise<void> {
    const bytes = utf8(event.json).length;
    if (bytes > this.#maxBytes) {
      throw new SpoolError("SPOOL_FULL", `an event of ${bytes} bytes can never fit a spool of ${this.#maxBytes} bytes`);
    }
    const fits = (n: number) => this.#events + 1 <= this.#maxEvents && this.#bytes + n <= this.#maxBytes;
    const hold = () => {
      const sizes = this.#held.get(event.id) ?? [];
      sizes.push(bytes);
      this.#held.set(event.id, sizes);
    };
    if (this.#waiters.length === 0 && fits(bytes)) {
      this.#take(bytes);
      hold();
      return Promise.resolve();
    }
    if (this.#whenFull === "throw") {
      throw new SpoolError("SPOOL_FULL", `the in-memory spool is full (${this.#events} events, ${this.#bytes} bytes)`);
    }
    return this.#waiters.wait(bytes).then(hold);
  }

  async release(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const sizes = this.#held.get(id);
      const bytes = sizes?.shift();
      if (bytes === undefined) continue;
      if (sizes?.length === 0) this.#held.delete(id);
      this.#events -= 1;
      this.#bytes -= bytes;
    }
    this.#waiters.wake(
      (n) => this.#events + 1 <= this.#maxEvents && this.#bytes + n <= this.#maxBytes,
      (n) => this.#take(n),
    );
  }

  size(): { events: number; bytes: number } {
    return { events: this.#events, bytes: this.#bytes };
  }

  async close(): Promise<void> {}

  #take(bytes: number): void {
    this.#events += 1;
    this.#bytes += bytes;
  }
}
