// Messages as a stream hands them to a destination, for destination tests:
// consecutive matches at `indexes`, each one's prevIndex the one before it and
// the first one's `prevFirst` (null: the stream's first), with a body of the
// test's choosing.
import type { OutgoingMessage } from "../../apps/server/src/streams/stream-types.js";

export function outgoingMessages(
  indexes: number[],
  prevFirst: number | null,
  text: (index: number) => string,
): OutgoingMessage[] {
  return indexes.map((index, i) => ({
    index,
    prevIndex: i === 0 ? prevFirst : (indexes[i - 1] as number),
    eventId: `evt_${index}`,
    occurredAt: "2026-12-05T04:00:00.000Z",
    action: "user.login",
    text: text(index),
  }));
}
