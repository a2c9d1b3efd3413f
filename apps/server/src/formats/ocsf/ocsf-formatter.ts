// The stream formatter for OCSF (docs/ocsf.md): one OCSF 1.8.0 JSON object per
// message, on one line, with the message's origin, index and prev_index in it.
import type { MessageFormatter } from "../../streams/stream-types.js";
import { toOcsf } from "./to-ocsf.js";

export const ocsfFormatter: MessageFormatter = (message) =>
  JSON.stringify(
    toOcsf(message.event, {
      origin: message.origin,
      index: message.index,
      prevIndex: message.prevIndex,
      streamId: message.streamId,
    }),
  );
