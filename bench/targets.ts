// The targets: goals the figures are measured against, not timed
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
  if (append !== undefined && r.baselineA) {
    const ratio = append / r.baselineA.eventsPerSecond;
    add(
      {
        target: "in-process append >= 0.5x baseline A",
        measured: `${ratio.toFixed(2)}x (${n(append)} vs ${n(r.baselineA.eventsPerSecond)} events/s)`,
        goal: ">= 0.50x",
        profile: "append",
        scale: null,
      },
      higher(ratio, 0.5),
    );
  }
  if (append !== undefined && r.baselineB) {
    add(
      {
        target: "in-process append > baseline B",
        measured: `${n(append)} vs ${n(r.baselineB.eventsPerSecond)} events/s`,
        goal: `> ${n(r.baselineB.eventsPerSecond)} events/s`,
        profile: "append",
        scale: null,
      },
      higher(append, r.baselineB.eventsPerSecond),
    );
  }
  const h = r.httpIngest?.batch100;
  if (h) {
    add(
      {
        target: "HTTP ingest, batches of 100 >= 20,000 events/s",
        measured: `${n(h.eventsPerSecond)} events/s`,
        goal: ">= 20,000 events/s",
        profile: "http",
        scale: null,
      },
      higher(h.eventsPerSecond, 20_000),
    );
    add(
      {
        target: "HTTP ack p99 < 100 ms at that load",
        measured: `${h.latency.p99Ms.toFixed(1)} ms at ${n(h.eventsPerSecond)} events/s`,
        goal: "< 100 ms",
        profile: "http",
        scale: h.eventsPerSecond < 20_000 ? `at ${n(h.eventsPerSecond)} events/s, below the 20,000 target load` : null,
      },
      lower(h.latency.p99Ms, 100),
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
  const proof = r.proofs.at(-1);
  if (proof) {
    add(
      {
        target: "inclusion proof < 1 ms (p95)",
        measured: `${proof.inclusion.p95Ms.toFixed(3)} ms`,
        goal: "< 1 ms",
        profile: null,
        scale: atScale(proof.treeSize, 10_000_000),
      },
      lower(proof.inclusion.p95Ms, 1),
    );
  }
  const verify = r.verify.at(-1);
  if (verify) {
    add(
      {
        target: "whole-log verification > 200,000 events/s",
        measured: `${n(verify.wholeLogEventsPerSecond)} events/s`,
        goal: "> 200,000 events/s",
        profile: null,
        scale: null,
      },
      higher(verify.wholeLogEventsPerSecond, 200_000),
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
