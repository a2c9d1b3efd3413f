// A syslog destination through a receiver crash: rsyslog is SIGKILLed, the
// destination counts the lost connection (generation), a send while it is
// down throws STREAM_DESTINATION_FAILED, and once rsyslog is back on the same
// port the next send reconnects and delivers. Over TCP and over TLS.
import { hasErrorCode } from "@trailproof/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSyslogDestination } from "../../apps/server/src/streams/destinations/syslog/syslog-destination.js";
import {
  jsonBody,
  streamMessage,
  toOutgoing,
} from "../../apps/server/src/streams/destinations/syslog/syslog-messages.fixture.js";
import { destinationFailure } from "./destination-failure.js";
import { type ReceivedSyslog, RsyslogHarness, rsyslogMissing } from "./rsyslog-harness.js";

const missing = rsyslogMissing();

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(missing !== undefined)(
  `syslog destination across an rsyslog crash${missing ? ` (skipped: ${missing})` : ""}`,
  () => {
    let rsyslog: RsyslogHarness;
    beforeAll(async () => {
      rsyslog = await RsyslogHarness.start();
    });
    afterAll(async () => {
      await rsyslog?.stop();
    });

    it.each([false, true])(
      "tls %s: a send while rsyslog is down throws, the next one after it is back delivers",
      async (tls) => {
        const origin = `crash-${tls ? "tls" : "tcp"}`;
        const config = tls ? rsyslog.tlsConfig() : rsyslog.plainConfig();
        const destination = buildSyslogDestination(config, {
          streamId: "s",
          origin,
          tenant: "acme",
          secret: undefined,
          timeoutMs: 3000,
        });
        const fromOrigin = (m: ReceivedSyslog) => m.structured_data.includes(`origin="${origin}"`);
        const batch = (from: number, count: number) =>
          Array.from({ length: count }, (_, i) => toOutgoing({ ...streamMessage(from + i), origin }, jsonBody));

        expect(destination.settleMs).toBe(2000);
        await destination.send(batch(0, 5));
        await rsyslog.waitForMessages(5, fromOrigin);
        expect(destination.generation).toBe(0);

        await rsyslog.kill();
        // The receiver's death closes the connection: the destination notices without sending.
        await until(() => destination.generation === 1);
        const err = await destinationFailure(destination.send(batch(5, 5)));
        expect(err.message).toMatch(/ECONNREFUSED/);
        expect(destination.generation).toBe(1);

        await rsyslog.restart();
        await destination.send(batch(5, 5));
        const received = await rsyslog.waitForMessages(10, fromOrigin);
        expect(received.map((m) => m.rawmsg.match(/ index="(\d+)"/)?.[1])).toEqual([
          "0",
          "1",
          "2",
          "3",
          "4",
          "5",
          "6",
          "7",
          "8",
          "9",
        ]);
        expect(destination.generation).toBe(1);
        await destination.close();
        // Closing is not a lost connection.
        expect(destination.generation).toBe(1);
        await destinationFailure(destination.send(batch(10, 1)));
      },
    );

    it("counts a connection lost in the middle of a batch, so the stream re-sends what was not settled", async () => {
      const origin = "crash-mid-batch";
      const destination = buildSyslogDestination(rsyslog.plainConfig(), {
        streamId: "s",
        origin,
        tenant: "acme",
        secret: undefined,
        timeoutMs: 5000,
      });
      const big = { message: "y".repeat(8000) };
      await destination.send([toOutgoing({ ...streamMessage(0), origin }, jsonBody)]);
      const before = destination.generation;
      // Its outcome is taken at once, so a failure while the receiver is being killed is never unhandled.
      const sending = destination
        .send(Array.from({ length: 3000 }, (_, i) => toOutgoing({ ...streamMessage(i + 1, big), origin }, jsonBody)))
        .then(
          () => null,
          (err: unknown) => err,
        );
      await rsyslog.kill();
      // Either the batch was all handed to the kernel before the kill or the send fails; the loss is counted either way.
      const failed = await sending;
      if (failed !== null) expect(hasErrorCode(failed, "STREAM_DESTINATION_FAILED")).toBe(true);
      await until(() => destination.generation === before + 1);
      await rsyslog.restart();
      await destination.close();
    });
  },
);
