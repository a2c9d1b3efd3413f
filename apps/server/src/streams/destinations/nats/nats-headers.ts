// What each message published to NATS JetStream carries besides its text
// (docs/nats.md): the Nats-Msg-Id the server deduplicates on, and the
// Trailproof-* headers a consumer checks for gaps and duplicates without
// parsing the body.
import { headers, type MsgHdrs } from "@nats-io/transport-node";
import type { OutgoingMessage } from "../../stream-types.js";

export const STREAM_HEADER = "Trailproof-Stream";
export const ORIGIN_HEADER = "Trailproof-Origin";
export const INDEX_HEADER = "Trailproof-Index";
export const PREV_INDEX_HEADER = "Trailproof-Prev-Index";
export const EVENT_ID_HEADER = "Trailproof-Event-Id";

/**
 * The message's Nats-Msg-Id: one per stream and entry, the same on every
 * redelivery (after a failed batch, a restart or a rotated secret), so the
 * server drops a copy it holds within the stream's duplicate window. Two
 * streams to one subject each deliver their own copy.
 */
export function natsMsgId(streamId: string, index: number): string {
  return `${streamId}.${index}`;
}

/** The Trailproof-* headers of `message`; Trailproof-Prev-Index is absent on a stream's first message. */
export function buildNatsHeaders(streamId: string, origin: string, message: OutgoingMessage): MsgHdrs {
  const h = headers();
  h.set(STREAM_HEADER, streamId);
  h.set(ORIGIN_HEADER, origin);
  h.set(INDEX_HEADER, String(message.index));
  if (message.prevIndex !== null) h.set(PREV_INDEX_HEADER, String(message.prevIndex));
  h.set(EVENT_ID_HEADER, message.eventId);
  return h;
}
