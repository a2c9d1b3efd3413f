// A syslog receiver that accepts the connection and then reads nothing (a
// real TCP server, paused): the destination waits for 'drain' rather than
// buffering the batch, gives up after the stream's timeout with
// STREAM_DESTINATION_FAILED, and counts the connection it closed as lost.
// Memory stays bounded: frames are built only as the socket takes them.
import { createServer, type Server, type Socket } from "node:net";
import { hasErrorCode } from "@trailproof/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSyslogDestination } from "../../apps/server/src/streams/destinations/syslog/syslog-destination.js";
import {
  jsonBody,
  streamMessage,
  toOutgoing,
} from "../../apps/server/src/streams/destinations/syslog/syslog-messages.fixture.js";

describe("syslog destination to a receiver that stops reading", () => {
  let server: Server;
  let port = 0;
  const accepted: Socket[] = [];
  beforeAll(async () => {
    server = createServer({ pauseOnConnect: true }, (socket) => accepted.push(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    port = typeof address === "object" && address !== null ? address.port : 0;
  });
  afterAll(async () => {
    for (const socket of accepted) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it("times out a batch the receiver does not take, and counts the connection lost", async () => {
    const destination = buildSyslogDestination(
      { type: "syslog", host: "127.0.0.1", port, tls: false },
      { streamId: "s", origin: "stalled", tenant: "acme", secret: undefined, timeoutMs: 800 },
    );
    // 60 MB: more than the loopback socket buffers on both ends hold.
    const body = { message: "z".repeat(20_000) };
    const messages = Array.from({ length: 3000 }, (_, i) => toOutgoing(streamMessage(i, body), jsonBody));
    // Counts the messages the destination has read: it builds frames only as the socket takes them.
    const read = new Set<string>();
    const batch = new Proxy(messages, {
      get(target, key, receiver) {
        if (typeof key === "string" && /^[0-9]+$/.test(key)) read.add(key);
        return Reflect.get(target, key, receiver);
      },
    });
    const started = Date.now();
    let err: unknown;
    try {
      await destination.send(batch);
    } catch (e) {
      err = e;
    }
    expect(hasErrorCode(err, "STREAM_DESTINATION_FAILED")).toBe(true);
    expect((err as Error).message).toMatch(/timed out after 800 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(read.size).toBeGreaterThan(0);
    expect(read.size).toBeLessThan(messages.length);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(destination.generation).toBe(1);
    await destination.close();
  });
});
