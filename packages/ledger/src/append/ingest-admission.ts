// Admission control for appends. The work in flight (events stamped and not
// yet durable) is bounded, and when the writer falls behind (the oldest
// append in flight has waited longer than a target, or what is in flight
// would take longer than that to write at the rate the service writes when
// saturated) new work is refused at once, with a Retry-After, instead of
// queueing: latency and memory stay
// bounded whatever the offered load, and clients back off rather than pile
// up. The refusal is fair: under pressure the tenant holding more than its
// share of the work in flight is the one refused (429: it is this tenant),
// while a tenant sending a trickle is still admitted; the commit queue then
// takes tenants in turn (group-commit.ts), so the trickle waits for one
// commit, not for the flood ahead of it.
import { TrailproofError } from "@trailproof/core";

export interface AdmissionOptions {
  /**
   * Events stamped and not yet durable, over all tenants, at most. One tenant
   * may hold at most its share: the budget divided by the tenants in flight
   * plus one, so another tenant always finds room.
   */
  maxQueuedEvents: number;
  /**
   * When the oldest append in flight has waited longer than this, or the
   * events in flight would take longer than this to write at the rate the
   * service has been writing while saturated, the service is behind:
   * appends from tenants holding more than their share of the work in
   * flight are refused until it catches up.
   */
  maxQueueDelayMs: number;
  now?: () => number;
  /**
   * The acknowledging thread's recent event-loop delay in milliseconds
   * (loop-delay.ts). Past a fifth of maxQueueDelayMs the thread is
   * congested, which counts as behind: requests are then waiting unread in
   * their sockets, and only admitting less gives the thread time to answer.
   */
  loopDelayMs?: () => number;
  /**
   * Committed entries of a tenant that a follower of the log (the search
   * projection) has not applied yet, the largest over the followers. Past
   * maxFollowerLag the tenant counts as behind: what the service sustains
   * is what it can make durable and searchable, not durable and searchable
   * some day.
   */
  followerLag?: (lane: string) => number;
  /** Follower lag, in entries, past which a tenant counts as behind (default 50,000). */
  maxFollowerLag?: number;
}

export const DEFAULT_ADMISSION: AdmissionOptions = {
  maxQueuedEvents: 20_000,
  maxQueueDelayMs: 500,
  maxFollowerLag: 50_000,
};

/**
 * Why an append was refused. queue_full and queue_delay: the service as a
 * whole is at capacity (503); tenant_share: this tenant holds more than its
 * share while others wait (429).
 */
export type AdmissionReason = "queue_full" | "queue_delay" | "tenant_share";

export interface AdmissionRefusal {
  reason: AdmissionReason;
  retryAfterMs: number;
}

/** An append refused by admission control; the server answers 503 or 429 with Retry-After. */
export class IngestOverloadedError extends TrailproofError {
  readonly reason: AdmissionReason;
  readonly retryAfterMs: number;
  constructor(refusal: AdmissionRefusal) {
    super(refusal.reason === "tenant_share" ? "INGEST_TENANT_OVERLOADED" : "INGEST_OVERLOADED", DETAIL[refusal.reason]);
    this.reason = refusal.reason;
    this.retryAfterMs = refusal.retryAfterMs;
  }
}

const DETAIL: Record<AdmissionReason, string> = {
  queue_full: "the service holds as many events waiting to be written as it is configured for; retry later",
  queue_delay: "the service is behind in writing events; retry later",
  tenant_share:
    "this tenant holds more than its share of the events waiting to be written while other tenants wait; retry later",
};

/** Longest Retry-After given: the queue drains well within it. */
const MAX_RETRY_AFTER_MS = 10_000;
/**
 * Below this many events in flight the delay rules refuse nothing: one slow
 * commit (a cold page cache, a first write to a new file) is not a queue,
 * and refusing a handful of requests behind it would only make clients wait.
 */
const DELAY_RULE_FLOOR_EVENTS = 1000;
/** Weight of each saturated write in the drain-rate estimate (an exponentially weighted mean). */
const RATE_WEIGHT = 0.2;

interface Lane {
  events: number;
  /** Appends in flight, oldest first (a Set keeps insertion order). */
  tickets: Set<Ticket>;
}

interface Ticket {
  at: number;
  events: number;
}

export class IngestAdmission {
  readonly #options: AdmissionOptions;
  readonly #now: () => number;
  readonly #lanes = new Map<string, Lane>();
  #total = 0;
  /** Events per second written while saturated; undefined until a saturated write is seen. */
  #drainRate: number | undefined;

  constructor(options: AdmissionOptions) {
    if (!(options.maxQueuedEvents >= 1) || !(options.maxQueueDelayMs >= 1)) {
      throw new TrailproofError("CONFIG_INVALID", "maxQueuedEvents and maxQueueDelayMs must be at least 1");
    }
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Events in flight (stamped and not yet durable), over all tenants. */
  get queuedEvents(): number {
    return this.#total;
  }

  /** Events per second the service writes while saturated, as last estimated (undefined until then). */
  get drainRate(): number | undefined {
    return this.#drainRate;
  }

  /**
   * Learns the drain rate from a write that followed the previous one back
   * to back (group-commit.ts WriteTiming.cycleSeconds).
   */
  observeWrite(items: number, cycleSeconds: number | undefined): void {
    if (cycleSeconds === undefined || !(cycleSeconds > 0)) return;
    const rate = items / cycleSeconds;
    this.#drainRate = this.#drainRate === undefined ? rate : this.#drainRate + RATE_WEIGHT * (rate - this.#drainRate);
  }

  /** How long the oldest append in flight has waited, in milliseconds (0 when none is). */
  queueDelayMs(): number {
    const now = this.#now();
    let oldest = now;
    for (const lane of this.#lanes.values()) {
      const first = lane.tickets.values().next().value;
      if (first !== undefined && first.at < oldest) oldest = first.at;
    }
    return now - oldest;
  }

  /**
   * Whether `events` more from `lane` (a tenant) would be admitted now, and
   * why not. Changes nothing: a caller that goes ahead calls admit().
   */
  check(lane: string, events: number): AdmissionRefusal | undefined {
    const held = this.#lanes.get(lane)?.events ?? 0;
    const active = this.#lanes.size + (this.#lanes.has(lane) ? 0 : 1);
    const delayMs = this.queueDelayMs();
    // The wait an append admitted now would see: what is in flight, at the saturated rate.
    const expectedMs = this.#drainRate === undefined ? 0 : ((this.#total + events) / this.#drainRate) * 1000;
    const waitMs = Math.max(delayMs, expectedMs);
    const retryAfterMs = Math.min(MAX_RETRY_AFTER_MS, Math.max(1000, Math.ceil(waitMs / 1000) * 1000));
    const { maxQueuedEvents, maxQueueDelayMs } = this.#options;
    // An append larger than a lane's whole share is still taken when nothing
    // else of its tenant is in flight and the budget has room: refusing it
    // for ever would only make the client retry it for ever.
    const share = Math.floor(maxQueuedEvents / (active + 1));
    if (this.#total + events > maxQueuedEvents || (held > 0 && held + events > share)) {
      return { reason: active > 1 && held + events > share ? "tenant_share" : "queue_full", retryAfterMs };
    }
    const congested = (this.#options.loopDelayMs?.() ?? 0) > maxQueueDelayMs / 5;
    // A follower's lag needs no floor: it grows whatever is in flight.
    const lagging = (this.#options.followerLag?.(lane) ?? 0) > (this.#options.maxFollowerLag ?? Infinity);
    const behind =
      lagging ||
      (this.#total + events > DELAY_RULE_FLOOR_EVENTS &&
        (delayMs > maxQueueDelayMs || expectedMs > maxQueueDelayMs || congested));
    if (behind && held + events > this.#total / active) {
      return { reason: active > 1 ? "tenant_share" : "queue_delay", retryAfterMs };
    }
    return undefined;
  }

  /**
   * Admits `events` from `lane` or throws IngestOverloadedError (never with
   * `always`, which only counts them); the returned function releases them
   * once they are durable or failed.
   */
  admit(lane: string, events: number, always = false): () => void {
    const refusal = always ? undefined : this.check(lane, events);
    if (refusal) throw new IngestOverloadedError(refusal);
    let l = this.#lanes.get(lane);
    if (l === undefined) {
      l = { events: 0, tickets: new Set() };
      this.#lanes.set(lane, l);
    }
    const ticket: Ticket = { at: this.#now(), events };
    l.tickets.add(ticket);
    l.events += events;
    this.#total += events;
    const held = l;
    return () => {
      if (!held.tickets.delete(ticket)) return;
      held.events -= ticket.events;
      this.#total -= ticket.events;
      if (held.tickets.size === 0) this.#lanes.delete(lane);
    };
  }
}
