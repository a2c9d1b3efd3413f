// How late the acknowledging thread's event loop runs: the longest delay
// seen over the last quarter second or so (perf_hooks' event-loop delay
// histogram, read and reset every WINDOW_MS). When the thread is congested
// (too many requests to read, or its CPU taken by others), queued requests
// wait in their sockets where admission control cannot see them; this is
// how it sees them.
import { type IntervalHistogram, monitorEventLoopDelay } from "node:perf_hooks";

const WINDOW_MS = 250;

export class LoopDelayMonitor {
  readonly #histogram: IntervalHistogram;
  readonly #timer: NodeJS.Timeout;
  #previousMaxMs = 0;

  constructor() {
    this.#histogram = monitorEventLoopDelay({ resolution: 10 });
    this.#histogram.enable();
    this.#timer = setInterval(() => {
      this.#previousMaxMs = this.#histogram.max / 1e6;
      this.#histogram.reset();
    }, WINDOW_MS);
    this.#timer.unref();
  }

  /** The longest event-loop delay in the current and the previous window, in milliseconds. */
  recentMaxMs(): number {
    const current = this.#histogram.count > 0 ? this.#histogram.max / 1e6 : 0;
    return Math.max(this.#previousMaxMs, current);
  }

  close(): void {
    clearInterval(this.#timer);
    this.#histogram.disable();
  }
}
