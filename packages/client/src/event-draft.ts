// The event as the SDK takes it: the envelope of docs/event-schema.md with
// `id`, `occurred_at` and `actor` optional, because the client fills them (a
// UUIDv7, the clock, the ambient person or service account).
import type { EventInput } from "@trailproof/core";

export type Actor = EventInput["actor"];
export type Target = EventInput["target"];
export type Outcome = NonNullable<EventInput["outcome"]>;
export type EventContext = NonNullable<EventInput["context"]>;
export type Automation = NonNullable<EventInput["automation"]>;
export type Change = NonNullable<EventInput["change"]>;

/**
 * `automation` may be partial: inside withAutomation() the run supplies the
 * rest (origin, run_id, caused_by, ...); outside one, origin is still required.
 */
export type EventDraft = Omit<EventInput, "occurred_at" | "actor" | "automation"> & {
  occurred_at?: string;
  actor?: Actor;
  automation?: Partial<Automation>;
};

/** A receipt: where the service sealed the event. `duplicate` means an earlier send of the same id was sealed there. */
export interface Receipt {
  id: string;
  status: "created" | "duplicate";
  /** Position in the tenant's log. */
  index: number;
  /** Standard base64 of the RFC 6962 leaf hash. */
  leafHash: string;
  /** RFC 3339, stamped by the service. */
  receivedAt: string;
}
