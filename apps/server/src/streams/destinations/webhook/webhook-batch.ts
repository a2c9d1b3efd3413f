// How a stream's batch is laid out for a webhook (docs/stream-webhooks.md):
// an NDJSON body (one formatted message per line, each line ending in "\n"),
// a delivery id naming the stream and the batch's first and last index, and
// headers carrying the indexes so a receiver can check for a gap before it
// reads the body.
import type { OutgoingMessage } from "../../stream-types.js";

export const NDJSON_CONTENT_TYPE = "application/x-ndjson";
export const STREAM_BATCH_EVENT = "stream.batch";
export const STREAM_USER_AGENT = "Trailproof-Stream/1";

export const STREAM_HEADER = "trailproof-stream";
export const ORIGIN_HEADER = "trailproof-origin";
export const FIRST_INDEX_HEADER = "trailproof-first-index";
export const LAST_INDEX_HEADER = "trailproof-last-index";
export const PREV_INDEX_HEADER = "trailproof-prev-index";
export const COUNT_HEADER = "trailproof-count";

/**
 * The Trailproof-Delivery of a batch: the same whenever the same entries are
 * sent again. A batch re-sent after a failure may be cut differently (more
 * entries may have matched since), so receivers dedupe by entry index, and
 * use this id only to recognise an exact repeat.
 */
export function webhookDeliveryId(streamId: string, firstIndex: number, lastIndex: number): string {
  return `${streamId}:${firstIndex}-${lastIndex}`;
}

/**
 * The NDJSON body of `batch`. Requires a non-empty batch whose texts are one
 * line each (the MessageFormatter contract); a text with a line break would
 * split one message into two lines, so it is refused rather than sent.
 */
export function buildNdjsonBody(batch: readonly OutgoingMessage[]): string {
  let body = "";
  for (const message of batch) {
    if (/[\r\n]/.test(message.text)) throw new RangeError(`message ${message.index} is not one line`);
    body += `${message.text}\n`;
  }
  return body;
}

/** The batch's index headers; Trailproof-Prev-Index is absent when the batch starts the stream. */
export function buildBatchHeaders(
  streamId: string,
  origin: string,
  batch: readonly OutgoingMessage[],
): Record<string, string> {
  const first = batch[0] as OutgoingMessage;
  const last = batch[batch.length - 1] as OutgoingMessage;
  const headers: Record<string, string> = {
    "user-agent": STREAM_USER_AGENT,
    [STREAM_HEADER]: streamId,
    [ORIGIN_HEADER]: origin,
    [FIRST_INDEX_HEADER]: String(first.index),
    [LAST_INDEX_HEADER]: String(last.index),
    [COUNT_HEADER]: String(batch.length),
  };
  if (first.prevIndex !== null) headers[PREV_INDEX_HEADER] = String(first.prevIndex);
  return headers;
}
