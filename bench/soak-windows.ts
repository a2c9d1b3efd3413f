// The soak's rows: the answers of one window (30 s by default) in one tally,
// closed into a row with the service's state at the window's end, then
// dropped. A row is what the CSV holds, one per window.
import { AnswerTally } from "./answer-tally.js";
import type { OpenLoopAnswer } from "./open-loop-schedule.js";
import { perSecond } from "./stats.js";

export interface SoakWindow {
  window: number;
  /** Seconds since the open loop started, at the window's end. */
  endS: number;
  seconds: number;
  offeredEventsPerSecond: number;
  ackedEvents: number;
  ackedEventsPerSecond: number;
  /** Requests answered (or given up on) in the window. */
  requests: number;
  /** Every answer in the window, from its request's scheduled send time. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  inFlightEnd: number;
  inFlightMax: number;
  refused: number;
  refusedWithRetryAfter: number;
  errors: number;
  timeouts: number;
  firstError: string | null;
  rssMaxMb: number;
  /** How late the bench itself started a request in the window: the generator's own CPU shortage, not the service's. */
  sendLagMaxMs: number;
  /** The data directory on disk: databases with their -wal and -shm files, keys. */
  dbBytes: number;
  /** The tenant's log size as the acknowledgements so far show it. */
  logEntries: number;
}

/** The service's state at a window's end. */
export interface WindowProbe {
  inFlight: number;
  sendLagMaxMs: number;
  rssMaxMb: number;
  dbBytes: number;
}

export class SoakWindows {
  readonly #eventsPerRequest: number;
  readonly #offered: number;
  readonly #t0: number;
  #tally: AnswerTally;
  #start: number;
  #inFlightMax = 0;
  #logEntries = 0;
  #count = 0;

  constructor(eventsPerRequest: number, offeredEventsPerSecond: number, t0 = performance.now()) {
    this.#eventsPerRequest = eventsPerRequest;
    this.#offered = Math.round(offeredEventsPerSecond);
    this.#t0 = t0;
    this.#start = t0;
    this.#tally = new AnswerTally(eventsPerRequest);
  }

  /** `inFlight`: requests outstanding as this one is answered (it included), the window's local peak. */
  add(answer: OpenLoopAnswer, inFlight: number): void {
    this.#tally.add(answer);
    this.#inFlightMax = Math.max(this.#inFlightMax, inFlight);
  }

  addUnanswered(ageMs: number): void {
    this.#tally.addUnanswered(ageMs);
  }

  /** Ends the current window with the service's state now, and starts the next. */
  close(probe: WindowProbe, now = performance.now()): SoakWindow {
    const s = this.#tally.summary();
    this.#logEntries = Math.max(this.#logEntries, s.logSize);
    const ms = now - this.#start;
    const row: SoakWindow = {
      window: ++this.#count,
      endS: Math.round((now - this.#t0) / 100) / 10,
      seconds: Math.round(ms / 100) / 10,
      offeredEventsPerSecond: this.#offered,
      ackedEvents: s.acceptedEvents,
      ackedEventsPerSecond: perSecond(s.acceptedEvents, ms),
      requests: s.requests,
      p50Ms: s.all.p50Ms,
      p99Ms: s.all.p99Ms,
      maxMs: s.all.maxMs,
      inFlightEnd: probe.inFlight,
      inFlightMax: Math.max(this.#inFlightMax, probe.inFlight),
      refused: s.refusedRequests,
      refusedWithRetryAfter: s.refusedWithRetryAfter,
      errors: s.errors,
      timeouts: s.timeouts,
      firstError: s.firstError,
      rssMaxMb: probe.rssMaxMb,
      sendLagMaxMs: probe.sendLagMaxMs,
      dbBytes: probe.dbBytes,
      logEntries: this.#logEntries,
    };
    this.#tally = new AnswerTally(this.#eventsPerRequest);
    this.#start = now;
    this.#inFlightMax = probe.inFlight;
    return row;
  }
}
