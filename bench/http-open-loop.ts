// An open-loop HTTP load: requests leave on a fixed schedule (one every
// eventsPerRequest / offeredEventsPerSecond seconds), whether or not earlier
// ones were acknowledged, and each latency runs from the request's scheduled
// send time to its acknowledgement. A stalled server therefore shows as
// latency (and backlog) rather than as fewer requests sent: closed-loop
// clients wait, and hide it (coordinated omission). The schedule itself is
// open-loop-schedule.ts; this sums one whole run.
import { type OpenLoopScheduleOptions, startOpenLoopSchedule } from "./open-loop-schedule.js";
import { type LatencySummary, perSecond, summarise } from "./stats.js";

/** The schedule's options; runOpenLoad tallies the answers itself and waits drainMs for the last. */
export type OpenLoadOptions = Omit<OpenLoopScheduleOptions, "timeoutMs" | "onAnswer">;

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
  const samples: number[] = [];
  let errors = 0;
  let acked = 0;
  let firstError: string | null = null;
  const end = await startOpenLoopSchedule({
    ...o,
    onAnswer: ({ latencyMs, response, error }) => {
      samples.push(latencyMs);
      if (!response) {
        errors++;
        firstError ??= error;
      } else if (response.status !== 200 || response.body.includes('"status":"rejected"')) {
        errors++;
        firstError ??= `${response.status} ${response.body.slice(0, 300)}`;
      } else acked += o.eventsPerRequest;
    },
  }).done;
  const unanswered = end.unansweredAgesMs.length;
  // An unanswered request counts with its age so far: a lower bound, never left out.
  samples.push(...end.unansweredAgesMs);
  return {
    offeredEventsPerSecond: Math.round(o.offeredEventsPerSecond),
    eventsPerRequest: o.eventsPerRequest,
    requests: end.requests,
    ackedEventsPerSecond: perSecond(acked, end.ms),
    errors: errors + unanswered,
    unanswered,
    firstError: firstError ?? (unanswered > 0 ? `${unanswered} requests unanswered after ${o.drainMs} ms` : null),
    seconds: Math.round(end.ms) / 1000,
    latency: summarise(samples),
    sendLagMaxMs: end.sendLagMaxMs,
  };
}
