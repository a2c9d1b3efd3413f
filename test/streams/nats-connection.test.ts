// The NATS destination's connection: token authentication from the stream's
// secret, and a server lost mid-stream (killed and started again). These run
// their own nats-server (the machine's binary, on a free port, with its own
// JetStream store) so they can kill it without disturbing other tests.
import { jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection, nanos } from "@nats-io/transport-node";
import { afterEach, describe, expect, it } from "vitest";
import { natsDestination } from "../../apps/server/src/streams/destinations/nats/nats-destination.js";
import type { OutgoingMessage, StreamDestination } from "../../apps/server/src/streams/stream-types.js";
import { destinationFailure } from "./destination-failure.js";
import { OwnNatsServer, TOKEN } from "./nats-harness.js";
import { outgoingMessages } from "./outgoing-messages.js";

const SUBJECT = "trailproof.conn.test";

const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function ownServer(): Promise<OwnNatsServer> {
  const server = new OwnNatsServer();
  cleanup.push(() => server.remove());
  await server.start();
  return server;
}

async function admin(server: OwnNatsServer): Promise<NatsConnection> {
  const nc = await connect({ servers: [server.url], token: TOKEN, timeout: 5000, reconnect: false });
  cleanup.push(() => nc.close());
  return nc;
}

async function bindStream(server: OwnNatsServer): Promise<void> {
  const nc = await admin(server);
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "TP_CONN", subjects: [SUBJECT], duplicate_window: nanos(120_000) });
  await nc.close();
}

async function storedIndexes(server: OwnNatsServer): Promise<string[]> {
  const nc = await admin(server);
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info("TP_CONN");
  const out: string[] = [];
  for (let seq = info.state.first_seq; info.state.messages > 0 && seq <= info.state.last_seq; seq++) {
    const m = await jsm.streams.getMessage("TP_CONN", { seq });
    out.push(m?.header.get("Trailproof-Index") ?? "missing");
  }
  await nc.close();
  return out;
}

function destination(server: OwnNatsServer, secret: string | undefined): StreamDestination {
  const d = natsDestination(
    { type: "nats", servers: [server.url], subject: SUBJECT },
    { streamId: "str_conn", origin: "trailproof.test/acme", tenant: "acme", secret, timeoutMs: 3000 },
  );
  cleanup.push(() => d.close());
  return d;
}

function messages(indexes: number[], prevFirst: number | null = null): OutgoingMessage[] {
  return outgoingMessages(indexes, prevFirst, (index) => `{"index":${index}}`);
}

describe("NATS destination connection", () => {
  it("authenticates with the stream's secret as the token, and fails without it or with a wrong one", async () => {
    const server = await ownServer();
    await bindStream(server);
    const none = await destinationFailure(destination(server, undefined).send(messages([1])));
    expect(none.message).toBe("authorization failed");
    const wrong = await destinationFailure(destination(server, "not-the-token").send(messages([1])));
    expect(wrong.message).toBe("authorization failed");
    expect(wrong.message).not.toContain("not-the-token");
    await destination(server, TOKEN).send(messages([1]));
    expect(await storedIndexes(server)).toEqual(["1"]);
  });

  it("counts a lost connection in generation, fails while the server is down, and delivers each entry once after", async () => {
    const server = await ownServer();
    await bindStream(server);
    const d = destination(server, TOKEN);
    await d.send(messages([1, 2, 3]));
    expect(d.generation).toBe(0);

    await server.kill();
    const end = Date.now() + 10_000;
    while (d.generation === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
    expect(d.generation).toBe(1);
    const down = await destinationFailure(d.send(messages([4, 5], 3)));
    expect(down.message).toBe("connection refused");

    await server.start();
    // The stream re-sends from its cursor: 3 was delivered before, 4 and 5 were not.
    await d.send(messages([3, 4, 5], 2));
    expect(d.generation).toBe(1);
    expect(await storedIndexes(server)).toEqual(["1", "2", "3", "4", "5"]);
  });
});
