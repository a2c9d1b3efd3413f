// The followers' shared read over a real ledger and SQLite store: a second
// reader of the same entries is served from memory with exactly what the
// store holds; forget() and age send reads back to the store.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Ledger } from "../ledger.js";
import { openDataDir } from "../open-data-dir.js";
import { RecentEntries } from "./recent-entries.js";

const ledgers: Ledger[] = [];
afterEach(async () => {
  for (const l of ledgers.splice(0)) await l.close();
});

async function ledgerWith(count: number): Promise<{ ledger: Ledger; tenantId: number }> {
  const { ledger } = await openDataDir({
    dataDir: mkdtempSync(join(tmpdir(), "trailproof-recent-")),
    checkpointIntervalMs: 0,
  });
  ledgers.push(ledger);
  await ledger.createTenant("acme");
  await ledger.append(
    "acme",
    Array.from({ length: count }, (_, k) => ({
      action: "app.update",
      occurred_at: "2026-05-01T10:00:00Z",
      actor: { type: "user", id: `usr_${k}` },
      target: { type: "app", id: "shop" },
    })),
  );
  return { ledger, tenantId: (await ledger.tenantRecord("acme")).tenantId };
}

describe("RecentEntries", () => {
  it("serves a second reader from memory, exactly what the store holds, across runs joined and replaced", async () => {
    const { ledger, tenantId } = await ledgerWith(40);
    const recent = new RecentEntries(ledger.store);
    const direct = await ledger.store.readEntries(tenantId, 0, 40);
    expect(await recent.readEntries(tenantId, 0, 25)).toEqual(direct.slice(0, 25));
    expect(recent.served).toEqual({ memory: 0, store: 25 });
    // Joined to the run, then a read that starts inside it and runs past it.
    expect(await recent.readEntries(tenantId, 25, 30)).toEqual(direct.slice(25, 30));
    expect(await recent.readEntries(tenantId, 10, 40)).toEqual(direct.slice(10, 40));
    expect(recent.served).toEqual({ memory: 20, store: 40 });
    expect(await recent.readEntries(tenantId, 0, 40)).toEqual(direct);
    expect(recent.served.memory).toBe(60);
  });

  it("reads from the store again after forget(), and for entries received over an hour ago", async () => {
    const { ledger, tenantId } = await ledgerWith(10);
    let now = Date.now();
    const recent = new RecentEntries(ledger.store, () => now);
    await recent.readEntries(tenantId, 0, 10);
    recent.forget(tenantId);
    await recent.readEntries(tenantId, 0, 10);
    expect(recent.served).toEqual({ memory: 0, store: 20 });
    await recent.readEntries(tenantId, 0, 10);
    expect(recent.served.memory).toBe(10);
    now += 3_600_001;
    await recent.readEntries(tenantId, 0, 10);
    expect(recent.served).toEqual({ memory: 10, store: 30 });
  });

  it("is what every follower of a ledger reads through", async () => {
    const { ledger, tenantId } = await ledgerWith(30);
    const seen: number[][] = [[], []];
    for (const [i, list] of seen.entries()) {
      await ledger
        .follow({
          name: `f${i}`,
          covered: async () => list.length,
          apply: async (_t, entries) => {
            list.push(...entries.map((e) => e.index));
          },
        })
        .idle();
    }
    expect(seen[0]).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(seen[1]).toEqual(seen[0]);
    expect(ledger.recentEntries.served.memory).toBeGreaterThanOrEqual(30);
    expect(tenantId).toBeGreaterThan(0);
  });
});
