// Stream messages for the syslog and CEF tests: committed events as a
// stream's privacy mode leaves them, and the OutgoingMessage a stream builds
// from one with a formatter. Test code only (the build skips *.fixture.ts).
import type { JsonObject } from "@trailproof/core";
import type { MessageFormatter, OutgoingMessage, StreamMessage } from "../../stream-types.js";

export const TEST_ORIGIN = "trailproof.test/t/acme";

/** Message `index` of a stream whose previous message was `index - 1` (none for index 0). */
export function streamMessage(index: number, event: Partial<JsonObject> = {}): StreamMessage {
  const base: JsonObject = {
    schema_version: 2,
    id: `evt-${index}`,
    action: "app.page.update",
    kind: "update",
    category: "configuration",
    occurred_at: "2026-05-01T10:00:00.123Z",
    received_at: "2026-05-01T10:00:00.456Z",
    actor: { type: "user", id: "u-42", name: "Zoë Example" },
    target: { type: "page", id: "p-7", name: "Pricing" },
    outcome: { status: "success" },
    message: "Zoë updated page Pricing",
    risk: "low",
  };
  return {
    streamId: "stream-1",
    origin: TEST_ORIGIN,
    index,
    prevIndex: index === 0 ? null : index - 1,
    eventId: `evt-${index}`,
    event: { ...base, ...event } as JsonObject,
  };
}

function text(object: unknown, key: string): string | undefined {
  const value = object !== null && typeof object === "object" ? (object as Record<string, unknown>)[key] : undefined;
  return typeof value === "string" ? value : undefined;
}

/** What a stream hands its destination for `message`, formatted by `formatter`. */
export function toOutgoing(message: StreamMessage, formatter: MessageFormatter): OutgoingMessage {
  const outcome = text(message.event.outcome, "status");
  const risk = text(message.event, "risk");
  return {
    index: message.index,
    prevIndex: message.prevIndex,
    eventId: message.eventId,
    occurredAt: text(message.event, "occurred_at") ?? "",
    action: text(message.event, "action") ?? "",
    text: formatter(message),
    ...(outcome === undefined ? {} : { outcome }),
    ...(risk === undefined ? {} : { risk }),
  };
}

/** The native-like body: the event as one JSON line. */
export const jsonBody: MessageFormatter = (message) => JSON.stringify(message.event);
