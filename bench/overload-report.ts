// The overload bench's output: per phase and tenant what was accepted and
// refused and how fast every answer came, the durability check, and the
// PASS/MISS lines of issue 17's overload targets.

import { markdownTable, type Verdict } from "./load-verdict.js";
import type { Durability } from "./overload-durability.js";
import type { Phase, TenantPhase } from "./overload-phase.js";
import { RSS_TARGET_MB } from "./soak-report.js";
import type { LatencySummary } from "./stats.js";

export const ANSWER_WITHIN_MS = 1000;
export const TRICKLE_RATIO_LIMIT = 2;

const ms = (l: LatencySummary) =>
  l.count === 0 ? "-" : `${l.p50Ms.toFixed(1)} / ${l.p99Ms.toFixed(1)} / ${l.maxMs.toFixed(0)}`;

function refusals(t: TenantPhase): string {
  const r = t.answers.refusals;
  return r.length === 0 ? "0" : r.map((x) => `${x.status} x${x.count} (Retry-After ${x.withRetryAfter})`).join(", ");
}

export function phasesTable(phases: readonly Phase[]): string {
  const rows = phases.flatMap((p) =>
    p.tenants.map((t) => [
      p.name,
      t.load.tenant,
      Math.round(t.load.offeredEventsPerSecond),
      t.acceptedEventsPerSecond,
      t.answers.requests,
      ms(t.answers.accepted),
      refusals(t),
      ms(t.answers.refused),
      `${t.answers.errors} (${t.answers.timeouts})`,
      p.rssMaxMb,
      t.sendLagMaxMs,
    ]),
  );
  return markdownTable(
    [
      "phase",
      "tenant",
      "offered events/s",
      "accepted events/s",
      "requests",
      "accepted p50 / p99 / max ms",
      "refused by status",
      "refused p50 / p99 / max ms",
      "errors (timeouts)",
      "service RSS max MB",
      "bench send lag max ms",
    ],
    rows,
  );
}

export function durabilityTable(d: Durability): string {
  return markdownTable(
    [
      "tenant",
      "acknowledged",
      "in the log",
      "missing",
      "written though refused",
      "written, never acknowledged",
      "entries read",
    ],
    d.tenants.map((t) => [
      t.tenant,
      t.ackedEvents,
      t.loggedEvents,
      t.missing,
      t.writtenRefused,
      t.writtenUnacknowledged,
      t.treeSize,
    ]),
  );
}

export interface TrickleComparison {
  aloneP99Ms: number;
  floodP99Ms: number;
  ratio: number;
  /** Trickle requests refused or failed under the flood. */
  notAcceptedUnderFlood: number;
}

/** The trickle tenant's p99 over every answer, alone and under the flood. */
export function compareTrickle(alone: TenantPhase, flood: TenantPhase): TrickleComparison {
  const a = alone.answers.all.p99Ms;
  const f = flood.answers.all.p99Ms;
  return {
    aloneP99Ms: a,
    floodP99Ms: f,
    ratio: a > 0 ? Math.round((f / a) * 100) / 100 : Number.POSITIVE_INFINITY,
    notAcceptedUnderFlood: flood.answers.refusedRequests + flood.answers.errors,
  };
}

const firstLine = (s: string) => (s.split("\n")[0] ?? "").slice(0, 200);

export function overloadVerdicts(phases: readonly Phase[], trickle: TrickleComparison, d: Durability): Verdict[] {
  const all = phases.flatMap((p) => p.tenants);
  const rss = Math.max(0, ...phases.map((p) => p.rssMaxMb));
  const slowest = Math.max(0, ...all.map((t) => t.answers.all.maxMs));
  const timeouts = all.reduce((n, t) => n + t.answers.timeouts, 0);
  const refused = all.reduce((n, t) => n + t.answers.refusedRequests, 0);
  const withRetryAfter = all.reduce((n, t) => n + t.answers.refusedWithRetryAfter, 0);
  const acked = d.tenants.reduce((n, t) => n + t.ackedEvents, 0);
  const logged = d.tenants.reduce((n, t) => n + t.loggedEvents, 0);
  const missing = d.tenants.reduce((n, t) => n + t.missing, 0);
  const writtenRefused = d.tenants.reduce((n, t) => n + t.writtenRefused, 0);
  return [
    { target: `service RSS bounded (< ${RSS_TARGET_MB} MB)`, measured: `max ${rss} MB`, pass: rss < RSS_TARGET_MB },
    {
      target: `every request answered within ${ANSWER_WITHIN_MS} ms (accepted or refused)`,
      measured: `slowest ${Math.round(slowest)} ms; ${timeouts} unanswered (timed out)`,
      pass: slowest <= ANSWER_WITHIN_MS && timeouts === 0,
    },
    {
      target: "every accepted event durable (in its tenant's log, which verifies)",
      measured: `${acked} acknowledged, ${logged} in the log, ${missing} missing, ${writtenRefused} written though refused; verify ${d.verify.ok ? "ok" : `FAILED: ${firstLine(d.verify.problems[0] ?? "")}`}`,
      pass: d.ok,
    },
    {
      target: "every refusal carries Retry-After",
      measured: refused === 0 ? "no request was refused" : `${withRetryAfter} of ${refused} refusals`,
      pass: withRetryAfter === refused,
    },
    {
      target: `trickle p99 under the flood within ${TRICKLE_RATIO_LIMIT}x of alone, every trickle request accepted`,
      measured: `${trickle.floodP99Ms.toFixed(1)} ms vs ${trickle.aloneP99Ms.toFixed(1)} ms alone (${trickle.ratio}x); ${trickle.notAcceptedUnderFlood} trickle requests not accepted`,
      pass: trickle.ratio <= TRICKLE_RATIO_LIMIT && trickle.notAcceptedUnderFlood === 0,
    },
  ];
}
