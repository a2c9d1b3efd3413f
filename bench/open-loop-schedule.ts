// The open-loop sender under every open-loop load: request n leaves at
// t0 + n * eventsPerRequest / offeredEventsPerSecond seconds whether or not
// earlier ones were answered, and each answer is timed from that scheduled
// send time (no coordinated omission). Answers go to a callback, so callers
// keep only the aggregates they need and memory stays bounded however long
// the schedule runs.
import { Agent } from "node:http";
import { type HttpResponse, httpCall } from "./http-load.js";

export interface OpenLoopAnswer {
  /** The request's number in the schedule, from 0. */
  n: number;
  /** From the scheduled send time to the end of the answer, or to the failure. */
  latencyMs: number;
  /** null when the request failed or timed out (then `error` says why). */
  response: HttpResponse | null;
  error: string | null;
}

export interface OpenLoopScheduleOptions {
  url: string;
  key: string;
  offeredEventsPerSecond: number;
  eventsPerRequest: number;
  durationMs: number;
  /** Open connections at most; requests beyond wait for one (and that wait counts). */
  maxSockets: number;
  /** A request not answered this long after it was sent fails (and its answer says so). */
  timeoutMs?: number;
  /** After the schedule ends, how long to wait for outstanding answers. */
  drainMs: number;
  body: (n: number) => string;
  onAnswer: (answer: OpenLoopAnswer) => void;
}

export interface OpenLoopScheduleEnd {
  /** Requests the schedule sent. */
  requests: number;
  /** From the first scheduled send to the last answer (or the drain's end). */
  ms: number;
  /** Ages of the requests still unanswered when the drain time ran out. */
  unansweredAgesMs: number[];
  /** How late the sender itself started requests (the bench's own event loop). */
  sendLagMaxMs: number;
}

export interface OpenLoopSchedule {
  /** Requests sent and not yet answered, now. */
  inFlight(): number;
  /** The most the sender started a request late since the last call (or the start); resets. */
  takeSendLagMs(): number;
  done: Promise<OpenLoopScheduleEnd>;
}

export function startOpenLoopSchedule(o: OpenLoopScheduleOptions): OpenLoopSchedule {
  const agent = new Agent({ keepAlive: true, maxSockets: o.maxSockets });
  const intervalMs = (o.eventsPerRequest / o.offeredEventsPerSecond) * 1000;
  const total = Math.max(1, Math.floor(o.durationMs / intervalMs));
  /** Outstanding requests and their scheduled send times. */
  const pending = new Map<Promise<void>, number>();
  let sendLagMaxMs = 0;
  let sendLagWindowMs = 0;
  /** Once the schedule has ended, late failures (of requests reported unanswered) are not reported again. */
  let ended = false;
  const answer = (a: OpenLoopAnswer) => {
    if (!ended) o.onAnswer(a);
  };
  const t0 = performance.now();
  const send = (n: number) => {
    const scheduled = t0 + n * intervalMs;
    const lag = performance.now() - scheduled;
    sendLagMaxMs = Math.max(sendLagMaxMs, lag);
    sendLagWindowMs = Math.max(sendLagWindowMs, lag);
    const p = httpCall(agent, o.url, { method: "POST", key: o.key, body: o.body(n), timeoutMs: o.timeoutMs }).then(
      (response) => answer({ n, latencyMs: performance.now() - scheduled, response, error: null }),
      (err: unknown) => answer({ n, latencyMs: performance.now() - scheduled, response: null, error: String(err) }),
    );
    const tracked = p.finally(() => pending.delete(tracked));
    pending.set(tracked, scheduled);
  };
  const run = async (): Promise<OpenLoopScheduleEnd> => {
    for (let n = 0; n < total; ) {
      const due = Math.min(total, Math.floor((performance.now() - t0) / intervalMs) + 1);
      while (n < due) send(n++);
      if (n < total)
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, t0 + n * intervalMs - performance.now())));
    }
    let drainTimer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(pending.keys()),
      new Promise((resolve) => {
        drainTimer = setTimeout(resolve, o.drainMs);
      }),
    ]);
    clearTimeout(drainTimer);
    const now = performance.now();
    const unansweredAgesMs = [...pending.values()].map((scheduled) => now - scheduled);
    ended = true;
    agent.destroy();
    return { requests: total, ms: now - t0, unansweredAgesMs, sendLagMaxMs: Math.round(sendLagMaxMs * 10) / 10 };
  };
  const takeSendLagMs = () => {
    const lag = sendLagWindowMs;
    sendLagWindowMs = 0;
    return Math.round(lag * 10) / 10;
  };
  return { inFlight: () => pending.size, takeSendLagMs, done: run() };
}
