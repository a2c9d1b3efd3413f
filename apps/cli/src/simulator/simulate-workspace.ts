// Drives the SDK like a real no-code workspace over simulated days: builders,
// automations, policy checks, logins, and one suspicious sequence. The same
// seed and start give the same events (ids included), so a re-run is
// idempotent; occurred_at follows simulated time, whatever the wall clock.
import type { TrailproofClient } from "@trailproof/client";
import {
  discountOverride,
  hubspotImport,
  nightlySync,
  orderWebhook,
  personTriggersWorkflow,
} from "./automation-activity.js";
import { builderSession, editRecord } from "./builder-activity.js";
import { RateLimiter } from "./rate-limiter.js";
import { SeededRandom } from "./seeded-random.js";
import { SimContext } from "./sim-context.js";
import { suspiciousSequence } from "./suspicious-sequence.js";
import { APPS, BUILDERS } from "./workspace-cast.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface SimulateOptions {
  client: TrailproofClient;
  /** Simulated days (default 3). */
  days?: number;
  /** Seed of everything random (default 1). */
  seed?: number;
  /** First simulated day, at 00:00 UTC (default: `days` days before today). */
  startMs?: number;
  /** Most events sent per second of wall time (default unbounded). */
  ratePerSecond?: number;
  /** Called after each simulated day. */
  onDay?: (day: number, eventsSoFar: number) => void;
  /** Aborting it stops the simulation before its next event: simulateWorkspace rejects with the reason. */
  signal?: AbortSignal;
}

export interface SimulationSummary {
  events: number;
  days: number;
  startMs: number;
  /** Events by action. */
  actions: Record<string, number>;
  /** Ids of notable events: the override and the suspicious grant, export and revoke. */
  marks: Record<string, string>;
}

function utcMidnight(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

export async function simulateWorkspace(options: SimulateOptions): Promise<SimulationSummary> {
  const days = options.days ?? 3;
  const seed = options.seed ?? 1;
  const startMs = utcMidnight(options.startMs ?? Date.now() - days * DAY);
  const rnd = new SeededRandom(seed);
  const day0 = new Date(startMs).toISOString().slice(0, 10).replaceAll("-", "");
  const ctx = new SimContext(
    options.client,
    rnd,
    new RateLimiter(options.ratePerSecond ?? Number.POSITIVE_INFINITY),
    `sim-${seed}-${day0}`,
    options.signal,
  );
  const suspiciousDay = Math.floor((days - 1) / 2);

  for (let day = 0; day < days; day++) {
    const midnight = startMs + day * DAY;
    // Episodes of the day by start time; each runs to its end before the next starts.
    const episodes: Array<[number, () => Promise<void>]> = [];
    const at = (hours: number) => midnight + Math.round(hours * HOUR) + rnd.int(0, 600) * 1000;
    const syncAt = at(2);
    episodes.push([syncAt, () => nightlySync(ctx, syncAt)]);
    for (const builder of BUILDERS) {
      if (rnd.chance(0.9)) {
        const start = at(rnd.int(7, 10));
        episodes.push([start, () => builderSession(ctx, builder, day, start)]);
      }
    }
    for (let k = rnd.int(3, 6); k > 0; k--) {
      const start = at(rnd.int(8, 20));
      episodes.push([start, () => orderWebhook(ctx, start)]);
    }
    const importAt = at(13);
    episodes.push([importAt, () => hubspotImport(ctx, importAt)]);
    const editAt = at(rnd.int(10, 16));
    episodes.push([
      editAt,
      async () => {
        const person = rnd.pick(BUILDERS);
        const edit = await editRecord(ctx, APPS[0], editAt, { type: "user", id: person.id, name: person.name });
        await personTriggersWorkflow(ctx, edit, editAt + 5000);
      },
    ]);
    if (day === 0) {
      const overrideAt = at(15);
      episodes.push([overrideAt, () => discountOverride(ctx, overrideAt)]);
    }
    if (day === suspiciousDay) {
      const nightAt = midnight + 23 * HOUR + 10 * 60_000;
      episodes.push([nightAt, () => suspiciousSequence(ctx, nightAt)]);
    }
    episodes.sort((a, b) => a[0] - b[0]);
    for (const [, run] of episodes) await run();
    options.onDay?.(day, ctx.total);
  }
  return {
    events: ctx.total,
    days,
    startMs,
    actions: Object.fromEntries([...ctx.counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
    marks: { ...ctx.marks },
  };
}
