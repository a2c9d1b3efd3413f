// How the load benches sort answers to POST /v1/events: accepted (200 with
// every event created), refused (503 or 429, the service's overload answers,
// which should carry Retry-After), or an error (any other status, an event not
// created, a failure, a timeout). One tally per window or phase: its latency
// lists live only as long as it does, so a long run's memory stays bounded.
import type { OpenLoopAnswer } from "./open-loop-schedule.js";
import { type LatencySummary, summarise } from "./stats.js";

export type AnswerKind = "accepted" | "refused" | "error";

const REFUSAL_STATUSES = new Set([429, 503]);

export function answerKind(a: OpenLoopAnswer): AnswerKind {
  if (!a.response) return "error";
  if (REFUSAL_STATUSES.has(a.response.status)) return "refused";
  return a.response.status === 200 && !a.response.body.includes('"status":"rejected"') ? "accepted" : "error";
}

export interface RefusalCount {
  status: number;
  count: number;
  /** How many of them carried a Retry-After header. */
  withRetryAfter: number;
}

export interface AnswerSummary {
  requests: number;
  acceptedEvents: number;
  /** Latency of accepted requests, from their scheduled send time. */
  accepted: LatencySummary;
  refused: LatencySummary;
  /** Every request, whatever its answer; a timeout or an unanswered request counts with its age. */
  all: LatencySummary;
  refusals: RefusalCount[];
  refusedRequests: number;
  refusedWithRetryAfter: number;
  /** Errors, timeouts and unanswered requests included. */
  errors: number;
  timeouts: number;
  firstError: string | null;
  /** 1 + the highest log index acknowledged: the log's size as the acknowledgements show it (0: none). */
  logSize: number;
}

const TIMEOUT = /abort|timeout/i;

export class AnswerTally {
  readonly #eventsPerRequest: number;
  readonly #latencies: Record<AnswerKind, number[]> = { accepted: [], refused: [], error: [] };
  readonly #refusals = new Map<number, RefusalCount>();
  #timeouts = 0;
  #firstError: string | null = null;
  #logSize = 0;

  constructor(eventsPerRequest: number) {
    this.#eventsPerRequest = eventsPerRequest;
  }

  add(a: OpenLoopAnswer): AnswerKind {
    const kind = answerKind(a);
    this.#latencies[kind].push(a.latencyMs);
    if (kind === "accepted") {
      const body = (a.response as { body: string }).body;
      const at = body.lastIndexOf('"index":');
      if (at >= 0) this.#logSize = Math.max(this.#logSize, Number.parseInt(body.slice(at + 8), 10) + 1);
    } else if (kind === "refused") {
      const { status, retryAfter } = a.response as { status: number; retryAfter: string | null };
      const count = this.#refusals.get(status) ?? { status, count: 0, withRetryAfter: 0 };
      count.count++;
      if (retryAfter !== null) count.withRetryAfter++;
      this.#refusals.set(status, count);
    } else {
      if (a.error && TIMEOUT.test(a.error)) this.#timeouts++;
      this.#firstError ??= a.response ? `${a.response.status} ${a.response.body.slice(0, 300)}` : a.error;
    }
    return kind;
  }

  /** A request still unanswered when the run gave up on it: an error, at its age. */
  addUnanswered(ageMs: number): void {
    this.#latencies.error.push(ageMs);
    this.#timeouts++;
    this.#firstError ??= `unanswered after ${Math.round(ageMs)} ms`;
  }

  summary(): AnswerSummary {
    const l = this.#latencies;
    const refusals = [...this.#refusals.values()].sort((a, b) => a.status - b.status);
    return {
      requests: l.accepted.length + l.refused.length + l.error.length,
      acceptedEvents: l.accepted.length * this.#eventsPerRequest,
      accepted: summarise(l.accepted),
      refused: summarise(l.refused),
      all: summarise([...l.accepted, ...l.refused, ...l.error]),
      refusals,
      refusedRequests: l.refused.length,
      refusedWithRetryAfter: refusals.reduce((n, r) => n + r.withRetryAfter, 0),
      errors: l.error.length,
      timeouts: this.#timeouts,
      firstError: this.#firstError,
      logSize: this.#logSize,
    };
  }
}
