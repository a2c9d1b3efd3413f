// The spool contract: where recorded events wait until the service has
// acknowledged them. The client sends only what its spool holds and releases
// an event only once it is settled, so what a spool keeps is what survives.
import type { UndeliveredEvent } from "./errors.js";

/** One event as spooled: its id and its JSON text, sent byte for byte on every retry. */
export type SpooledEvent = UndeliveredEvent;

/** What append() does when the spool has no room: wait for room, or throw SPOOL_FULL. */
export type WhenFull = "block" | "throw";

export interface Spool {
  /** True when an event survives the process being killed once append() resolved. */
  readonly durable: boolean;
  /**
   * Events a previous process appended and never released, oldest first.
   * Called once, by the client that owns the spool, before any append().
   */
  recovered(): SpooledEvent[];
  /**
   * Stores `event`. MUST throw SPOOL_FULL synchronously when there is no room
   * and the spool was made with whenFull "throw", and when the event could
   * never fit; with "block" it waits until released events make room. The
   * promise resolves once the event is stored as durably as `durable` says.
   */
  append(event: SpooledEvent): Promise<void>;
  /** These ids are settled (acknowledged or handed to onError); their room MAY be reclaimed. */
  release(ids: readonly string[]): Promise<void>;
  /** Events appended or recovered and not yet released, and the bytes in use. */
  size(): { events: number; bytes: number };
  /** Finishes pending writes and lets go of the storage (locks, handles). */
  close(): Promise<void>;
}
