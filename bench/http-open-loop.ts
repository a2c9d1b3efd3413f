// An open-loop HTTP load: requests leave on a fixed schedule (one every
// eventsPerRequest / offeredEventsPerSecond seconds), whether or not earlier
// ones were acknowledged, and each latency runs from the request's scheduled
// send time to its acknowledgement. A stalled server therefore shows as
// latency (and backlog) rather than as fewer requests sent: closed-loop
// clients wait, and hide it (coordinated omission).
import { Agent } from "node:http";
import { httpCall } from "./http-load.js";
import { type LatencySummary, perSecond, summarise } from "./stats.js";

export interface OpenLoadOptions {
  url: string;
  key: string;
  offeredEventsPerSecond: number;
  eventsPerRequest: number;
  durationMs: number;
  /** Open connections at most; requests beyond wait for one (and that wait counts). */
  maxSockets: number;
  /** After the schedule ends, how long to wait for outstanding acknowledgements. */
  drainMs: number;
  body: (n: number) => string;
}

export interface OpenLoadResult {
  offeredEventsPerSecond: number;
  eventsPerRequest: number;
  /** Requests the schedule sent. */
  requests: number;
  /** Events acknowledged as created, per second of the schedule plus the drain it took. */
  ackedEventsPerSecond: number;
  /** Failed, not 200, an event not created, or unanswered within the drain time. */
  errors: number;
  unanswered: number;
  firstError: string | null;
  seconds: number;
  /** From scheduled send to acknowledgement; an unanswered request counts with its age at the end. */
  latency: LatencySummary;
  /** How late the sender itself started requests (the bench's own event loop). */
  sendLagMaxMs: number;
}

export async function runOpenLoad(o: OpenLoadOptions): Promise<OpenLoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.maxSockets });
  const intervalMs = (o.eventsPerRequest / o.offeredEventsPerSecond) * 1000;
  const total = Math.max(1, Math.floor(o.durationMs / intervalMs));
  const samples: number[] = [];
  let errors = 0;
  let acked = 0;
  let firstError: string | null = null;
  let sendLagMaxMs = 0;
  /** Outstanding requests and their scheduled send times. */
  const pending = new Map<Promise<void>, number>();
  const t0 = performance.now();
  const send = (n: number) => {
    const scheduled = t0 + n * intervalMs;
    sendLagMaxMs = Math.max(sendLagMaxMs, performance.now() - scheduled);
    const p = httpCall(agent, o.url, { method: "POST", key: o.key, body: o.body(n) }).then(
      (res) => {
        samples.push(performance.now() - scheduled);
        if (res.status !== 200 || res.body.includes('"status":"rejected"')) {
          errors++;
          firstError ??= `${res.status} ${res.body.slice(0, 300)}`;
        } else acked += o.eventsPerRequest;
      },
      (err: unknown) => {
        errors++;
        firstError ??= String(err);
      },
    );
    const tracked = p.finally(() => pending.delete(tracked));
    pending.set(tracked, scheduled);
  };
  for (let n = 0; n < total; ) {
    const due = Math.min(total, Math.floor((performance.now() - t0) / intervalMs) + 1);
    while (n < due) send(n++);
    if (n < total)
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, t0 + n * intervalMs - performance.now())));
  }
  const drained = await Promise.race([
    Promise.all(pending.keys()).then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), o.drainMs)),
  ]);
  const unanswered = drained ? 0 : pending.size;
  const ms = performance.now() - t0;
  // An unanswered request counts with its age so far: a lower bound, never left out.
  for (const scheduled of pending.values()) samples.push(performance.now() - scheduled);
  agent.destroy();
  return {
    offeredEventsPerSecond: Math.round(o.offeredEventsPerSecond),
    eventsPerRequest: o.eventsPerRequest,
    requests: total,
    ackedEventsPerSecond: perSecond(acked, ms),
    errors: errors + unanswered,
    unanswered,
    firstError: firstError ?? (unanswered > 0 ? `${unanswered} requests unanswered after ${o.drainMs} ms` : null),
    seconds: Math.round(ms) / 1000,
    latency: summarise(samples),
    sendLagMaxMs: Math.round(sendLagMaxMs * 10) / 10,
  };
}
