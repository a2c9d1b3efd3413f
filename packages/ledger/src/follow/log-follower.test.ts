// LogFollower over a real ledger and SQLite store, with a sink that records
// what it is given and can be made to fail.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hasErrorCode } from "@trailproof/core";
import { afterEach, describe, expect, it } from "vitest";
import type { Ledger } from "../ledger.js";
import { openDataDir } from "../open-data-dir.js";
import type { StoredEntry } from "../store/log-store.js";
import type { FollowerSink } from "./log-follower.js";

class RecordingSink implements FollowerSink {
  readonly name = "recording";
  readonly applied = new Map<number, number[]>();
  readonly batchSizes: number[] = [];
  failuresLeft = 0;
  async covered(tenantId: number): Promise<number> {
    return this.applied.get(tenantId)?.length ?? 0;
  }
  async apply(tenantId: number, entries: readonly StoredEntry[]): Promise<void> {
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw new Error("sink unavailable");
    }
    const list = this.applied.get(tenantId) ?? [];
    expect(entries[0]?.index).toBe(list.length);
    this.batchSizes.push(entries.length);
    list.push(...entries.map((e) => e.index));
    this.applied.set(tenantId, list);
  }
}

const ledgers: Ledger[] = [];
afterEach(async () => {
  for (const l of ledgers.splice(0)) await l.close();
});

async function ledgerWith(count: number): Promise<Ledger> {
  const { ledger } = await openDataDir({
    dataDir: mkdtempSync(join(tmpdir(), "trailproof-follow-")),
    checkpointIntervalMs: 0,
  });
  ledgers.push(ledger);
  await ledger.createTenant("acme");
  await append(ledger, 0, count);
  return ledger;
}

async function append(ledger: Ledger, from: number, count: number): Promise<void> {
  const events = Array.from({ length: count }, (_, k) => ({
    id: `evt_${from + k}`,
    action: "app.update",
    occurred_at: "2026-05-01T10:00:00Z",
    actor: { type: "user", id: "usr_ada" },
    target: { type: "app", id: "shop" },
  }));
  const results = await ledger.append("acme", events);
  expect(results.every((r) => r.status === "created")).toBe(true);
}

describe("LogFollower", () => {
  it("catches up with what was committed before it started, then follows each commit in order, in batches", async () => {
    const ledger = await ledgerWith(25);
    const sink = new RecordingSink();
    const follower = ledger.follow(sink, { batchEntries: 10 });
    await follower.idle();
    const tenantId = (await ledger.tenantRecord("acme")).tenantId;
    expect(follower.lag(tenantId)).toBe(0);
    await append(ledger, 25, 7);
    // Told of the commit at once; applied after the acknowledgement has gone out.
    expect(follower.lag(tenantId)).toBe(7);
    await follower.idle();
    expect(follower.lag(tenantId)).toBe(0);
    expect(sink.applied.get(tenantId)).toEqual(Array.from({ length: 32 }, (_, i) => i));
    expect(follower.status()).toEqual([{ follower: "recording", tenantId, covered: 32, size: 32, error: null }]);
  });

  it("takes batches of at most 500 while appends are waiting, and whole batches again once none are", async () => {
    const ledger = await ledgerWith(1500);
    const waiting = new RecordingSink();
    await ledger.follow(waiting, { appendsWaiting: () => true }).idle();
    expect(waiting.batchSizes).toEqual([500, 500, 500]);
    const free = new RecordingSink();
    await ledger.follow(free, { appendsWaiting: () => false }).idle();
    expect(free.batchSizes).toEqual([1000, 500]);
    const tenantId = (await ledger.tenantRecord("acme")).tenantId;
    expect(waiting.applied.get(tenantId)).toEqual(free.applied.get(tenantId));
  });

  it("reports a failing sink, idle() rejects with FOLLOWER_FAILED, and it resumes from its cursor after a retry", async () => {
    const ledger = await ledgerWith(5);
    const sink = new RecordingSink();
    sink.failuresLeft = 1;
    const follower = ledger.follow(sink, { retryMs: 300 });
    const tenantId = (await ledger.tenantRecord("acme")).tenantId;
    const waited = follower.waitFor(tenantId, 5, 5000);
    const failure = await follower.idle().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(hasErrorCode(failure, "FOLLOWER_FAILED")).toBe(true);
    expect(follower.status()[0]).toMatchObject({ covered: 0, size: 5, error: "sink unavailable" });
    expect(await waited).toBe(true);
    await follower.idle();
    expect(sink.applied.get(tenantId)).toEqual([0, 1, 2, 3, 4]);
    expect(follower.status()[0]?.error).toBeNull();
  });

  it("ends waits at their timeout and on close", async () => {
    const ledger = await ledgerWith(1);
    const follower = ledger.follow(new RecordingSink());
    const tenantId = (await ledger.tenantRecord("acme")).tenantId;
    expect(await follower.waitFor(tenantId, 1, 5000)).toBe(true);
    expect(await follower.waitFor(tenantId, 2, 30)).toBe(false);
    const pending = follower.waitFor(tenantId, 3, 60_000);
    await follower.close();
    expect(await pending).toBe(false);
  });

  it("follows one tenant only when scoped, and is left out of admission when it asks", async () => {
    const ledger = await ledgerWith(3);
    await ledger.createTenant("globex");
    await ledger.append("globex", [
      {
        action: "app.update",
        occurred_at: "2026-05-01T10:00:00Z",
        actor: { type: "user", id: "u" },
        target: { type: "app", id: "a" },
      },
    ]);
    const acme = (await ledger.tenantRecord("acme")).tenantId;
    const globex = (await ledger.tenantRecord("globex")).tenantId;
    const sink = new RecordingSink();
    const follower = ledger.follow(sink, { tenantId: globex, countsForAdmission: false });
    await follower.idle();
    await append(ledger, 3, 2);
    await follower.idle();
    expect(sink.applied.get(globex)).toEqual([0]);
    expect(sink.applied.has(acme)).toBe(false);
    expect(follower.status().map((s) => s.tenantId)).toEqual([globex]);
    await ledger.unfollow(follower);
    expect(ledger.followers).not.toContain(follower);
  });

  it("backs off by its failure count, re-reads the durable cursor after a failure, and rewinds on request", async () => {
    const ledger = await ledgerWith(4);
    const tenantId = (await ledger.tenantRecord("acme")).tenantId;
    const delays: number[] = [];
    // A sink whose durable cursor lags what it was given until it settles.
    const given: number[] = [];
    let durable = 0;
    let failuresLeft = 2;
    const sink: FollowerSink = {
      name: "settling",
      covered: async () => durable,
      apply: async (_t, entries) => {
        if (failuresLeft > 0) {
          failuresLeft--;
          throw new Error("destination down");
        }
        given.push(...entries.map((e) => e.index));
      },
    };
    const follower = ledger.follow(sink, {
      retryDelayMs: (failures) => {
        delays.push(failures);
        return 20;
      },
    });
    await expect.poll(() => given.length, { timeout: 5000 }).toBe(4);
    expect(delays).toEqual([1, 2]);
    // Nothing was made durable: a rewind sends everything again from 0.
    follower.rewind(tenantId);
    await expect.poll(() => given.length, { timeout: 5000 }).toBe(8);
    expect(given).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
    durable = 4;
    follower.rewind(tenantId);
    await append(ledger, 4, 1);
    await follower.idle();
    expect(given.slice(8)).toEqual([4]);
  });
});
