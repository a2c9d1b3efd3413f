// The SIGKILL loop at CI size (docs/reliability.md): the compiled service is
// killed three times during concurrent ingest; what it acknowledged reads
// back, and the log verifies after every kill. `npm run test:reliability`
// kills it 20 times.
import { describe, expect, it } from "vitest";
import { formatKillSummary, runKillLoop } from "./kill-loop.js";

const KILLS = 3;
const seed = Number(process.env.TRAILPROOF_FUZZ_SEED ?? Date.now() % 2 ** 31);

describe(`SIGKILL loop (seed ${seed})`, () => {
  it(`${KILLS} kills during ingest lose no acknowledged event and leave a log that verifies`, async () => {
    const summary = await runKillLoop({ kills: KILLS, seed, maxIngestMs: 1200 });
    const report = formatKillSummary(summary);
    console.log(report);
    expect(summary.problems, report).toEqual([]);
    expect(summary.kills, report).toBe(KILLS);
    // Every kill came while events were being acknowledged and more were on the way.
    for (const round of summary.rounds) {
      expect(round.acknowledged, report).toBeGreaterThan(0);
      expect(round.inFlight, report).toBeGreaterThan(0);
      expect(round.verifyOk, report).toBe(true);
    }
    expect(summary.lost, report).toEqual([]);
    expect(summary.mismatched, report).toEqual([]);
    expect(summary.finalReadBack, report).toBe(summary.acknowledged);
    expect(summary.finalVerifyOk, report).toBe(true);
  }, 300_000);
});
