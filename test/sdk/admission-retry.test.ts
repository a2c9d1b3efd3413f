// The SDK against a service that refuses it (issue 17): while another sender
// floods the same tenant past its share, the service answers the SDK's
// batches 503 or 429 with Retry-After; the SDK waits what it is told (no
// tight retry loop), keeps the events in its spool, and delivers every one
// once the flood stops.
import { events, TrailproofClient } from "@trailproof/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SdkServer, searchIds, startSdkServer } from "./sdk-server.js";

const TOTAL = 300;
let s: SdkServer;
beforeAll(async () => {
  // A small budget: two batches of 100 of one tenant are already past its share.
  s = await startSdkServer("admission", { ingestMaxQueuedEvents: 200 });
}, 30_000);
afterAll(async () => {
  await s?.stop();
});

function floodBatch(n: number): string {
  return JSON.stringify({
    events: Array.from({ length: 100 }, (_, k) => ({
      id: `flood_${n}_${k}`,
      action: "record.update",
      occurred_at: new Date().toISOString(),
      actor: { type: "service_account", id: "svc_flood" },
      target: { type: "record", id: `rec_${k}` },
    })),
  });
}

describe("the SDK under admission control", () => {
  it("honours Retry-After and delivers every event once the service admits it again", async () => {
    let flooding = true;
    let n = 0;
    const flooder = async () => {
      while (flooding) {
        await fetch(`${s.url}/v1/events`, {
          method: "POST",
          headers: { authorization: `Bearer ${s.ingestKey}`, "content-type": "application/json" },
          body: floodBatch(n++),
        }).then((r) => r.arrayBuffer());
      }
    };
    const flood = Promise.all(Array.from({ length: 8 }, flooder));

    const retries: { reason: string; delayMs: number }[] = [];
    const client = new TrailproofClient({
      url: s.url,
      apiKey: s.ingestKey,
      batchSize: 100,
      flushIntervalMs: 10,
      backoff: { baseMs: 10, capMs: 50 },
      onRetry: (reason, _attempt, delayMs) => retries.push({ reason, delayMs }),
    });
    const receipts = Array.from({ length: TOTAL }, (_, i) =>
      client.record(
        events.recordUpdated({
          id: `sdk_${i}`,
          actor: { type: "user", id: "usr_ada" },
          target: { type: "record", id: `rec_${i}` },
          tags: ["test:admission"],
          before: { n: i },
          after: { n: i + 1 },
        }),
      ),
    );
    // Long enough for the SDK to be refused while the flood holds the tenant's share.
    await new Promise((r) => setTimeout(r, 3000));
    flooding = false;
    await flood;
    await client.flush({ timeoutMs: 30_000 });
    const settled = await Promise.all(receipts);
    expect(new Set(settled.map((r) => r.index)).size).toBe(TOTAL);
    expect(client.stats()).toMatchObject({ recorded: TOTAL, acknowledged: TOTAL, rejected: 0, pending: 0 });

    // Refused while the flood ran, and each refusal waited the service's Retry-After (at least 1 s),
    // not the 10-50 ms backoff the client was given.
    const refused = retries.filter((r) => /\b(429|503)\b/.test(r.reason));
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(r.delayMs).toBeGreaterThanOrEqual(1000);
    expect((await searchIds(s, "q=tag:test:admission")).sort()).toEqual(
      Array.from({ length: TOTAL }, (_, i) => `sdk_${i}`).sort(),
    );
    await client.close();
  }, 60_000);
});
