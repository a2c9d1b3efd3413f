// The targets of issue 9: goals the figures are measured against, not timed
// tests. Each says PASS or MISS and by how much; `factor` is how many times
// better the figure must get (below 1: headroom), which picks the profile.
import type { BenchResults } from "./bench-results.js";

export interface TargetResult {
  target: string;
  measured: string;
  goal: string;
  pass: boolean;
  /** "+35% headroom" or "short by 58% (needs 2.4x)". */
  margin: string;
  factor: number;
  /** Which profile explains a miss, when one does. */
  profile: "append" | "http" | null;
  /** The size it was measured at, when not the size the target names. */
  scale: string | null;
}

const n = (x: number) => Math.round(x).toLocaleString("en-US");

function higher(measured: number, goal: number): Pick<TargetResult, "pass" | "margin" | "factor"> {
  const factor = measured > 0 ? goal / measured : Number.POSITIVE_INFINITY;
  const pass = measured >= goal;
  return {
    pass,
    factor,
    margin: pass
      ? `+${Math.round((measured / goal - 1) * 100)}% headroom`
      : `short by ${Math.round((1 - measured / goal) * 100)}% (needs ${factor.toFixed(2)}x)`,
  };
}

function lower(measured: number, goal: number): Pick<TargetResult, "pass" | "margin" | "factor"> {
  const factor = measured / goal;
  const pass = measured < goal;
  return {
    pass,
    factor,
    margin: pass
      ? `${Math.round((1 - measured / goal) * 100)}% under`
      : `over by ${Math.round((measured / goal - 1) * 100)}% (needs ${factor.toFixed(2)}x less)`,
  };
}

function atScale(size: number, wanted: number): string | null {
  return size >= wanted ? null : `at ${n(size)} events (target set at ${n(wanted)})`;
}

export function evaluateTargets(r: BenchResults): TargetResult[] {
  const out: TargetResult[] = [];
  const add = (
    t: Omit<TargetResult, "pass" | "margin" | "factor">,
    check: Pick<TargetResult, "pass" | "margin" | "factor">,
  ) => out.push({ ...t, ...check });
  const append = r.inProcess?.eventsPerSecond;
  const versus = (name: string, base: number | undefined, goal: number, aim = false) => {
    if (append === undefined || base === undefined) return;
    const ratio = append / base;
    add(
      {
        target: `in-process append >= ${goal.toFixed(1)}x ${name}${aim ? " (aim)" : ""}`,
        measured: `${ratio.toFixed(2)}x (${n(append)} vs ${n(base)} events/s)`,
        goal: `>= ${goal.toFixed(2)}x`,
        profile: "append",
        scale: null,
      },
      higher(ratio, goal),
    );
  };
  versus("baseline A", r.baselineA?.eventsPerSecond, 1);
  versus("baseline B", r.baselineB?.eventsPerSecond, 1);
  versus("baseline A0", r.baselineA0?.eventsPerSecond, 0.5, true);
  const h = r.httpIngest;
  if (h && append !== undefined) {
    const ratio = h.batch100.eventsPerSecond / append;
    add(
      {
        target: "HTTP, batches of 100, 8 clients >= 0.8x in-process",
        measured: `${ratio.toFixed(2)}x (${n(h.batch100.eventsPerSecond)} vs ${n(append)} events/s)`,
        goal: ">= 0.80x",
        profile: "http",
        scale: null,
      },
      higher(ratio, 0.8),
    );
  }
  if (h) {
    add(
      {
        target: `HTTP, single events, ${h.batch1.clients} clients >= 5,000 events/s`,
        measured: `${n(h.batch1.eventsPerSecond)} events/s`,
        goal: ">= 5,000 events/s",
        profile: "http",
        scale: null,
      },
      higher(h.batch1.eventsPerSecond, 5000),
    );
  }
  const open = h?.openLoop;
  if (open) {
    const pct = Math.round(open.fractionOfMax * 100);
    add(
      {
        target: `HTTP ack p99 < 100 ms, open loop at ${pct}% of the maximum rate`,
        measured: `${open.latency.p99Ms.toFixed(1)} ms at ${n(open.offeredEventsPerSecond)} events/s offered (${open.errors} errors)`,
        goal: "< 100 ms",
        profile: "http",
        scale: null,
      },
      open.errors > 0
        ? { pass: false, factor: Math.max(1.01, open.latency.p99Ms / 100), margin: `${open.errors} requests failed` }
        : lower(open.latency.p99Ms, 100),
    );
  }
  for (const c of r.search?.cases ?? []) {
    add(
      {
        target: `search p95 < 20 ms: ${c.name}`,
        measured: `${c.trailproof.p95Ms.toFixed(2)} ms`,
        goal: "< 20 ms",
        profile: null,
        scale: atScale(r.search?.events ?? 0, 1_000_000),
      },
      lower(c.trailproof.p95Ms, 20),
    );
  }
  const verify = r.verify.at(-1);
  if (verify) {
    add(
      {
        target: "verify --data (whole log from the store) >= 200,000 entries/s",
        measured: `${n(verify.wholeLogEventsPerSecond)} entries/s (${n(verify.treeSize)} entries, ${verify.note})`,
        goal: ">= 200,000 entries/s",
        profile: null,
        scale: null,
      },
      higher(verify.wholeLogEventsPerSecond, 200_000),
    );
  }
  const bundled = r.verify.findLast((v) => v.bundleEventsPerSecond !== null);
  if (bundled?.bundleEventsPerSecond != null) {
    add(
      {
        target: "verify --bundle >= 200,000 entries/s",
        measured: `${n(bundled.bundleEventsPerSecond)} entries/s (${n(bundled.treeSize)} entries, ${bundled.note})`,
        goal: ">= 200,000 entries/s",
        profile: null,
        scale: null,
      },
      higher(bundled.bundleEventsPerSecond, 200_000),
    );
  }
  if (r.httpIngest) {
    const mb = Math.max(r.httpIngest.rss.hwmMb, r.httpIngest.rss.sampledPeakMb);
    add(
      {
        target: "service RSS < 300 MB during ingest",
        measured: `${mb} MB`,
        goal: "< 300 MB",
        profile: null,
        scale: null,
      },
      lower(mb, 300),
    );
  }
  const exported = r.httpRead.at(-1)?.export;
  if (exported) {
    const mb = Math.max(exported.rss.hwmMb, exported.rss.sampledPeakMb);
    add(
      {
        target: "service RSS < 300 MB during export",
        measured: `${mb} MB`,
        goal: "< 300 MB",
        profile: null,
        scale: atScale(exported.events, 10_000_000),
      },
      lower(mb, 300),
    );
  }
  return out;
}

/** The profile that explains the biggest append or HTTP-ingest miss, if any missed. */
export function biggestMiss(targets: readonly TargetResult[]): TargetResult | undefined {
  return targets.filter((t) => !t.pass && t.profile !== null).sort((a, b) => b.factor - a.factor)[0];
}
