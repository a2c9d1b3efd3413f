import { describe, expect, it } from "vitest";
import { IngestAdmission, IngestOverloadedError } from "./ingest-admission.js";

function admission(maxQueuedEvents: number, maxQueueDelayMs = 250) {
  const clock = { ms: 0 };
  return { clock, gate: new IngestAdmission({ maxQueuedEvents, maxQueueDelayMs, now: () => clock.ms }) };
}

function refusalOf(f: () => unknown): IngestOverloadedError {
  try {
    f();
  } catch (err) {
    if (err instanceof IngestOverloadedError) return err;
    throw err;
  }
  throw new Error("admitted");
}

describe("IngestAdmission", () => {
  it("admits up to a tenant's share, refuses past it with 503, and admits again once released", () => {
    const { gate } = admission(200);
    // Alone, a tenant's share is half the budget: another tenant always finds room.
    const first = gate.admit("acme", 100);
    expect(gate.queuedEvents).toBe(100);
    const refused = refusalOf(() => gate.admit("acme", 1));
    expect(refused.code).toBe("INGEST_OVERLOADED");
    expect(refused.reason).toBe("queue_full");
    expect(refused.retryAfterMs).toBeGreaterThanOrEqual(1000);
    expect(gate.queuedEvents).toBe(100);
    first();
    first(); // a second release changes nothing
    expect(gate.queuedEvents).toBe(0);
    gate.admit("acme", 100)();
  });

  it("takes one append larger than the share when the tenant has nothing in flight and the budget has room", () => {
    const { gate } = admission(200);
    gate.admit("acme", 180);
    expect(refusalOf(() => gate.admit("globex", 30)).reason).toBe("queue_full");
    expect(gate.check("globex", 20)).toBeUndefined();
  });

  it("keeps room for a second tenant while one holds its share, and refuses the heavy one with 429", () => {
    const { gate } = admission(300);
    gate.admit("flood", 100);
    gate.admit("flood", 50);
    // The trickle is admitted while the flood is at its share...
    const trickle = gate.admit("trickle", 10);
    // ... and with two tenants in flight the flood's share is a third: it is the one refused.
    const refused = refusalOf(() => gate.admit("flood", 10));
    expect(refused.code).toBe("INGEST_TENANT_OVERLOADED");
    expect(refused.reason).toBe("tenant_share");
    trickle();
  });

  it("refuses the tenant above its share of the work in flight once the oldest append has waited past the delay", () => {
    const { clock, gate } = admission(10_000, 250);
    gate.admit("flood", 1000);
    clock.ms = 100;
    gate.admit("flood", 1000);
    expect(gate.queueDelayMs()).toBe(100);
    clock.ms = 300;
    expect(gate.queueDelayMs()).toBe(300);
    // Behind, with only the flood in flight: the service is at capacity (503).
    expect(gate.check("flood", 100)).toEqual({ reason: "queue_delay", retryAfterMs: 1000 });
    // A tenant with nothing in flight holds less than its share: admitted.
    const trickle = gate.admit("trickle", 10);
    expect(gate.check("flood", 100)?.reason).toBe("tenant_share");
    trickle();
  });

  it("refuses the heavy tenant when what is in flight would take longer than the delay at the saturated rate", () => {
    const { gate } = admission(10_000, 500);
    expect(gate.drainRate).toBeUndefined();
    gate.observeWrite(1000, undefined); // not back to back: says nothing of capacity
    expect(gate.drainRate).toBeUndefined();
    gate.observeWrite(100, 0.05); // 2,000 events/s while saturated
    expect(gate.drainRate).toBe(2000);
    gate.admit("flood", 900);
    // 900 + 100 events at 2,000/s is 500 ms: still within the delay...
    expect(gate.check("flood", 100)).toBeUndefined();
    // ... one more is not: refused at once, before the oldest append has waited at all.
    expect(gate.check("flood", 101)).toEqual({ reason: "queue_delay", retryAfterMs: 1000 });
    expect(gate.check("trickle", 10)).toBeUndefined();
    gate.observeWrite(500, 0.5); // slower now: the estimate moves a fifth of the way
    expect(gate.drainRate).toBe(2000 + 0.2 * (1000 - 2000));
  });

  it("refuses nothing for delay while fewer than 1,000 events are in flight: one slow commit is not a queue", () => {
    const { clock, gate } = admission(10_000, 500);
    gate.observeWrite(10, 1); // 10 events/s: a cold first write
    gate.admit("acme", 400);
    clock.ms = 5000;
    expect(gate.queueDelayMs()).toBe(5000);
    expect(gate.check("acme", 100)).toBeUndefined();
    gate.admit("acme", 600);
    expect(gate.check("acme", 100)?.reason).toBe("queue_delay");
  });

  it("counts a congested event loop as behind, above the floor", () => {
    const clock = { ms: 0 };
    const loop = { ms: 20 };
    const gate = new IngestAdmission({
      maxQueuedEvents: 10_000,
      maxQueueDelayMs: 500,
      now: () => clock.ms,
      loopDelayMs: () => loop.ms,
    });
    gate.admit("acme", 1500);
    expect(gate.check("acme", 100)).toBeUndefined();
    loop.ms = 101; // past a fifth of the delay
    expect(gate.check("acme", 100)?.reason).toBe("queue_delay");
    expect(gate.check("globex", 10)).toBeUndefined();
  });

  it("counts a tenant whose follower lags past the bound as behind, whatever is in flight", () => {
    const lag = new Map([["acme", 60_000]]);
    const gate = new IngestAdmission({
      maxQueuedEvents: 10_000,
      maxQueueDelayMs: 500,
      followerLag: (lane) => lag.get(lane) ?? 0,
      maxFollowerLag: 50_000,
    });
    expect(gate.check("acme", 100)?.reason).toBe("queue_delay");
    expect(gate.check("globex", 100)).toBeUndefined();
    lag.set("acme", 50_000);
    expect(gate.check("acme", 100)).toBeUndefined();
  });

  it("reports no delay when nothing is in flight and a Retry-After that grows with the delay, within 10 s", () => {
    const { clock, gate } = admission(10_000, 250);
    expect(gate.queueDelayMs()).toBe(0);
    const release = gate.admit("flood", 3000);
    clock.ms = 2500;
    expect(gate.check("flood", 1)?.retryAfterMs).toBe(3000);
    clock.ms = 60_000;
    expect(gate.check("flood", 1)?.retryAfterMs).toBe(10_000);
    release();
    expect(gate.queueDelayMs()).toBe(0);
  });

  it("counts the service's own records without refusing them", () => {
    const { gate } = admission(100);
    gate.admit("acme", 50);
    expect(gate.check("acme", 1)?.reason).toBe("queue_full");
    const release = gate.admit("acme", 1, true);
    expect(gate.queuedEvents).toBe(51);
    release();
    expect(gate.queuedEvents).toBe(50);
  });

  it("refuses a budget or delay below 1", () => {
    expect(() => new IngestAdmission({ maxQueuedEvents: 0, maxQueueDelayMs: 10 })).toThrow(/at least 1/);
    expect(() => new IngestAdmission({ maxQueuedEvents: 10, maxQueueDelayMs: 0 })).toThrow(/at least 1/);
  });
});
