// Bounded capacity with a FIFO of waiters: what a spool with whenFull "block"
// uses to make append() wait until released events make room. Isomorphic.

export class RoomWaiters {
  readonly #waiting: Array<{ bytes: number; admit: () => void }> = [];

  /**
   * Resolves once wake() admits `bytes`, after every earlier waiter (FIFO, so
   * a large event is not starved by small ones). The caller checked there was no room.
   */
  wait(bytes: number): Promise<void> {
    return new Promise((resolve) => {
      this.#waiting.push({ bytes, admit: resolve });
    });
  }

  get length(): number {
    return this.#waiting.length;
  }

  /** Admits waiters in order while they fit; `take` reserves their room before the next is considered. */
  wake(fits: (bytes: number) => boolean, take: (bytes: number) => void): void {
    while (this.#waiting.length > 0) {
      const next = this.#waiting[0] as { bytes: number; admit: () => void };
      if (!fits(next.bytes)) return;
      this.#waiting.shift();
      take(next.bytes);
      next.admit();
    }
  }
}
