// Small measurement helpers shared by the benchmark phases: rates, latency
// percentiles (nearest rank) and a stopwatch that sums only the timed parts.

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

/** Events per second, rounded. */
export function perSecond(count: number, ms: number): number {
  return ms > 0 ? Math.round((count / ms) * 1000) : 0;
}

/** Nearest-rank percentiles of `samplesMs` (milliseconds); all zero when empty. */
export function summarise(samplesMs: readonly number[]): LatencySummary {
  if (samplesMs.length === 0) return { count: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, maxMs: 0, meanMs: 0 };
  const sorted = Float64Array.from(samplesMs).sort();
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    p50Ms: round3(rank(50)),
    p95Ms: round3(rank(95)),
    p99Ms: round3(rank(99)),
    maxMs: round3(sorted[sorted.length - 1] as number),
    meanMs: round3(sum / sorted.length),
  };
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Accumulates elapsed time over the parts that are timed (generation stays outside). */
export class Stopwatch {
  #ms = 0;

  async time<T>(fn: () => Promise<T> | T): Promise<T> {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      this.#ms += performance.now() - t0;
    }
  }

  get ms(): number {
    return this.#ms;
  }
}

/** Runs `worker` on `concurrency` loops until each returns false. */
export async function runLoops(concurrency: number, worker: () => Promise<boolean>): Promise<void> {
  const loop = async () => {
    while (await worker()) {
      // each call did one unit of work
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
}

/** Prints progress to stderr, so stdout stays the report. */
export function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}
