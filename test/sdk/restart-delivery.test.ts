// The service stops in the middle of a stream of 5,000 events and starts
// again on the same data directory and port: the SDK retries, and every
// event is in the log exactly once.
import { events, TrailproofClient } from "@trailproof/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countEvents, type SdkServer, searchIds, startSdkServer } from "./sdk-server.js";

const TOTAL = 5000;
let s: SdkServer;
beforeAll(async () => {
  s = await startSdkServer("restart");
}, 30_000);
afterAll(async () => {
  await s?.stop();
});

describe("delivery across a service restart", () => {
  it("delivers 5,000 events exactly once when the service stops mid-stream", async () => {
    const client = new TrailproofClient({
      url: s.url,
      apiKey: s.ingestKey,
      batchSize: 100,
      flushIntervalMs: 20,
      backoff: { baseMs: 20, capMs: 250 },
    });
    const startMs = Date.UTC(2026, 4, 1, 8);
    const receipts = [];
    let down = false;
    for (let i = 0; i < TOTAL; i++) {
      receipts.push(
        client.record(
          events.recordUpdated({
            id: `restart_${i}`,
            occurredAt: new Date(startMs + i * 1000),
            actor: { type: "user", id: `usr_${i % 7}` },
            target: { type: "record", id: `rec_${i % 300}` },
            tags: ["test:restart"],
            before: { n: i },
            after: { n: i + 1 },
          }),
        ),
      );
      if (i % 250 === 249) await new Promise((r) => setTimeout(r, 15));
      if (i === 2000) {
        // Stop while batches are in flight; keep recording while it is down.
        await s.stop();
        down = true;
      }
      if (i === 3500 && down) {
        await s.restart();
        down = false;
      }
    }
    await client.flush({ timeoutMs: 40_000 });
    const settled = await Promise.all(receipts);
    expect(new Set(settled.map((r) => r.index)).size).toBe(TOTAL);
    const stats = client.stats();
    expect(stats).toMatchObject({ recorded: TOTAL, acknowledged: TOTAL, rejected: 0, pending: 0 });
    expect(stats.retries).toBeGreaterThan(0);
    await client.close();

    expect(await countEvents(s, "tag=test:restart")).toBe(TOTAL);
    const ids = await searchIds(s, "tag=test:restart");
    expect(ids).toHaveLength(TOTAL);
    expect(new Set(ids).size).toBe(TOTAL);
  }, 60_000);
});
