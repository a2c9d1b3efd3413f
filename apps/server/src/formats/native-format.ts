// The native stream format (docs/streams.md): one JSON line per message with
// the log position first, so a consumer checks for gaps and duplicates before
// it reads the event: {"origin","index","prev_index","stream","event_id","event"}.
import type { MessageFormatter } from "../streams/stream-types.js";

export const nativeFormatter: MessageFormatter = (message) =>
  JSON.stringify({
    origin: message.origin,
    index: message.index,
    prev_index: message.prevIndex,
    stream: message.streamId,
    event_id: message.eventId,
    event: message.event,
  });
