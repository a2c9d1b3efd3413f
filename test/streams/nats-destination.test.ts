// The NATS JetStream destination against the machine's NATS server on
// 127.0.0.1:4222 (CI starts it; docs/nats.md). Each test binds its own
// JetStream stream to a unique subject and deletes it after, then reads back
// what the server stored: the order, the Trailproof-* headers, and one copy
// per entry however often a batch is sent (Nats-Msg-Id deduplication).
import { randomBytes } from "node:crypto";
import { AckPolicy, DiscardPolicy, type JetStreamManager, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection, nanos } from "@nats-io/transport-node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { natsDestination } from "../../apps/server/src/streams/destinations/nats/nats-destination.js";
import { buildNatsHeaders } from "../../apps/server/src/streams/destinations/nats/nats-headers.js";
import type {
  DestinationContext,
  OutgoingMessage,
  StreamDestination,
} from "../../apps/server/src/streams/stream-types.js";
import { destinationFailure } from "./destination-failure.js";
import { outgoingMessages } from "./outgoing-messages.js";

const SERVERS = ["nats://127.0.0.1:4222"];
const ORIGIN = "trailproof.test/acme";

let nc: NatsConnection;
let jsm: JetStreamManager;
const cleanup: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  nc = await connect({ servers: SERVERS, timeout: 5000 });
  jsm = await jetstreamManager(nc);
});
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});
afterAll(async () => {
  await nc?.close();
});

function unique(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString("hex")}`;
}

/** A JetStream stream capturing a fresh subject, deleted after the test. */
async function boundSubject(limits: { max_msgs?: number } = {}): Promise<{ stream: string; subject: string }> {
  const stream = unique("TP_TEST");
  const subject = `trailproof.test.${stream}`;
  await jsm.streams.add({
    name: stream,
    subjects: [subject],
    duplicate_window: nanos(120_000),
    discard: DiscardPolicy.New,
    ...limits,
  });
  cleanup.push(() => jsm.streams.delete(stream));
  return { stream, subject };
}

function context(streamId: string): DestinationContext {
  return { streamId, origin: ORIGIN, tenant: "acme", secret: undefined, timeoutMs: 5000 };
}

function destination(subject: string, streamId = unique("str")): StreamDestination {
  const d = natsDestination({ type: "nats", servers: SERVERS, subject }, context(streamId));
  cleanup.push(() => d.close());
  return d;
}

/** Messages as the stream hands them over: consecutive matches at `indexes`, the first one the stream's first. */
function messages(indexes: number[], prevFirst: number | null = null): OutgoingMessage[] {
  return outgoingMessages(indexes, prevFirst, (index) => JSON.stringify({ index, message: `entry ${index} \u00e9` }));
}

async function stored(stream: string): Promise<{ text: string; headers: Record<string, string | undefined> }[]> {
  const info = await jsm.streams.info(stream);
  const out = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const m = await jsm.streams.getMessage(stream, { seq });
    if (m === null) throw new Error(`message ${seq} missing`);
    const get = (name: string) => (m.header.has(name) ? m.header.get(name) : undefined);
    out.push({
      text: new TextDecoder().decode(m.data),
      headers: {
        msgId: get("Nats-Msg-Id"),
        stream: get("Trailproof-Stream"),
        origin: get("Trailproof-Origin"),
        index: get("Trailproof-Index"),
        prevIndex: get("Trailproof-Prev-Index"),
        eventId: get("Trailproof-Event-Id"),
      },
    });
  }
  return out;
}

describe("NATS JetStream destination", () => {
  it("publishes a batch in log order with the Trailproof headers and a Nats-Msg-Id per stream and entry", async () => {
    const { stream, subject } = await boundSubject();
    const d = destination(subject, "str_order");
    expect(d.settleMs).toBe(0);
    const batch = messages([3, 8, 9, 20]);
    await d.send(batch);
    const got = await stored(stream);
    expect(got.map((m) => m.text)).toEqual(batch.map((m) => m.text));
    expect(got.map((m) => m.headers)).toEqual([
      { msgId: "str_order.3", stream: "str_order", origin: ORIGIN, index: "3", prevIndex: undefined, eventId: "evt_3" },
      { msgId: "str_order.8", stream: "str_order", origin: ORIGIN, index: "8", prevIndex: "3", eventId: "evt_8" },
      { msgId: "str_order.9", stream: "str_order", origin: ORIGIN, index: "9", prevIndex: "8", eventId: "evt_9" },
      { msgId: "str_order.20", stream: "str_order", origin: ORIGIN, index: "20", prevIndex: "9", eventId: "evt_20" },
    ]);
    expect(d.generation).toBe(0);
  });

  it("leaves one copy per entry when a batch is sent again, or overlaps one sent before", async () => {
    const { stream, subject } = await boundSubject();
    const streamId = unique("str");
    const d = destination(subject, streamId);
    const first = messages([1, 2, 3]);
    await d.send(first);
    await d.send(first);
    // A stream restarted from its cursor re-sends 2 and 3 with 4 after them, from a new destination instance.
    const again = destination(subject, streamId);
    await again.send(messages([2, 3, 4], 1));
    const got = await stored(stream);
    expect(got.map((m) => m.headers.index)).toEqual(["1", "2", "3", "4"]);
    expect((await jsm.streams.info(stream)).state.messages).toBe(4);
  });

  it("throws STREAM_DESTINATION_FAILED when no JetStream stream is bound to the subject", async () => {
    const d = destination(`trailproof.test.${unique("unbound")}`);
    const err = await destinationFailure(d.send(messages([1])));
    expect(err.message).toBe("no JetStream stream bound to the subject");
  });

  it("throws STREAM_DESTINATION_FAILED when the server cannot be reached", async () => {
    const { stream, subject } = await boundSubject();
    // A port nothing listens on: taken from a fresh listener, then released.
    const { createServer } = await import("node:net");
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const down = natsDestination(
      { type: "nats", servers: [`nats://127.0.0.1:${port}`], subject },
      context(unique("str")),
    );
    cleanup.push(() => down.close());
    const err = await destinationFailure(down.send(messages([1])));
    expect(err.message).toBe("connection refused");
    expect((await jsm.streams.info(stream)).state.messages).toBe(0);
  });

  it("resolves an empty batch without connecting, and refuses to send after close", async () => {
    const d = natsDestination({ type: "nats", servers: ["nats://127.0.0.1:1"], subject: "x" }, context("str_empty"));
    await d.send([]);
    await d.close();
    await destinationFailure(d.send(messages([1])));
  });

  it("throws STREAM_DESTINATION_FAILED with the server's reason when JetStream refuses a message", async () => {
    const { stream, subject } = await boundSubject({ max_msgs: 2 });
    const d = destination(subject);
    const err = await destinationFailure(d.send(messages([1, 2, 3])));
    expect(err.message).toBe("publish refused: maximum messages exceeded");
    expect((await jsm.streams.info(stream)).state.messages).toBe(2);
  });

  it("lets a consumer tell a duplicate and a gap apart by index and prev index, as docs/nats.md shows", async () => {
    const { stream, subject } = await boundSubject();
    const d = destination(subject, "str_gaps");
    await d.send(messages([1, 2, 3]));
    // A copy of 3 stored again (a redelivery after the duplicate window), then 7 sent after 5, which the consumer never got.
    const again = messages([3], 2)[0] as OutgoingMessage;
    await jetstream(nc).publish(subject, again.text, { headers: buildNatsHeaders("str_gaps", ORIGIN, again) });
    await d.send(messages([7], 5));
    await jsm.consumers.add(stream, { durable_name: "siem", ack_policy: AckPolicy.Explicit });
    const consumer = await jetstream(nc).consumers.get(stream, "siem");

    // The loop of docs/nats.md, collecting what it would warn about and store.
    const held = new Map<string, number>();
    const stored: number[] = [];
    const warnings: string[] = [];
    const iter = await consumer.consume();
    for await (const m of iter) {
      const key = `${m.headers?.get("Trailproof-Stream")} ${m.headers?.get("Trailproof-Origin")}`;
      const index = Number(m.headers?.get("Trailproof-Index"));
      const prev = m.headers?.has("Trailproof-Prev-Index") ? Number(m.headers.get("Trailproof-Prev-Index")) : null;
      const last = held.get(key);
      if (last !== undefined && index <= last) {
        warnings.push(`duplicate ${index}`);
        m.ack();
      } else {
        if (last !== undefined && prev !== last) {
          warnings.push(`gap in ${key}: entries after ${last} up to ${prev} were sent and are missing`);
        }
        stored.push(index);
        held.set(key, index);
        m.ack();
      }
      if (m.info.pending === 0) break;
    }
    await iter.close();
    expect(stored).toEqual([1, 2, 3, 7]);
    expect(warnings).toEqual([
      "duplicate 3",
      `gap in str_gaps ${ORIGIN}: entries after 3 up to 5 were sent and are missing`,
    ]);
  });
});
