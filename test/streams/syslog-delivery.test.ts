// The syslog destination against a real rsyslog (Debian's, started by the
// test): batches over TCP and over TLS arrive and parse back field by field,
// as rsyslog's own RFC 5424 parser read them and as our reader reads the raw
// message; CEF bodies parse back; a wrong CA or name fails the handshake.
import { hostname } from "node:os";
import { join } from "node:path";
import type { JsonObject } from "@trailproof/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cefFormatter } from "../../apps/server/src/formats/cef/cef-formatter.js";
import { parseCef } from "../../apps/server/src/formats/cef/parse-cef.js";
import { parseSyslogMessage } from "../../apps/server/src/streams/destinations/syslog/parse-syslog-message.js";
import { buildSyslogDestination } from "../../apps/server/src/streams/destinations/syslog/syslog-destination.js";
import {
  jsonBody,
  streamMessage,
  toOutgoing,
} from "../../apps/server/src/streams/destinations/syslog/syslog-messages.fixture.js";
import type { MessageFormatter } from "../../apps/server/src/streams/stream-types.js";
import { destinationFailure } from "./destination-failure.js";
import { makeCertificates, type ReceivedSyslog, RsyslogHarness, rsyslogMissing } from "./rsyslog-harness.js";

const missing = rsyslogMissing();

function contextFor(origin: string) {
  return { streamId: "stream-1", origin, tenant: "acme", secret: undefined, timeoutMs: 5000 };
}

function batch(origin: string, from: number, count: number, formatter: MessageFormatter) {
  return Array.from({ length: count }, (_, i) => {
    const message = { ...streamMessage(from + i), origin };
    return toOutgoing(message, formatter);
  });
}

const fromOrigin = (origin: string) => (m: ReceivedSyslog) => m.structured_data.includes(`origin="${origin}"`);

describe.skipIf(missing !== undefined)(
  `syslog destination to rsyslog${missing ? ` (skipped: ${missing})` : ""}`,
  () => {
    let rsyslog: RsyslogHarness;
    beforeAll(async () => {
      rsyslog = await RsyslogHarness.start();
    });
    afterAll(async () => {
      await rsyslog?.stop();
    });

    it("delivers a batch over TCP that rsyslog parses as RFC 5424, multibyte bodies and all", async () => {
      const origin = "tcp-batch";
      const destination = buildSyslogDestination(rsyslog.plainConfig(), contextFor(origin));
      const sent = batch(origin, 1, 20, jsonBody);
      // One body of ~100 KB of multibyte text: a frame length counted in characters would cut it short.
      sent[9] = toOutgoing({ ...streamMessage(10, { message: "ü日🚀".repeat(12_000) }), origin }, jsonBody);
      await destination.send(sent);
      const received = await rsyslog.waitForMessages(20, fromOrigin(origin));
      expect(received).toHaveLength(20);
      expect(destination.generation).toBe(0);
      received.forEach((m, i) => {
        const index = i + 1;
        expect(m.input).toBe("plain");
        // What rsyslog's parser made of it.
        expect(m).toMatchObject({ pri: "110", hostname: hostname(), app_name: "trailproof", procid: "-" });
        expect(m.msgid).toBe("app.page.update");
        expect(m.timestamp).toBe("2026-05-01T10:00:00.123Z");
        // What our reader makes of the raw bytes rsyslog took.
        const parsed = parseSyslogMessage(m.rawmsg);
        expect(parsed.structuredData["trailproof@32473"]).toEqual({
          origin,
          index: String(index),
          prev: String(index - 1),
          event_id: `evt-${index}`,
        });
        expect(parsed.bom).toBe(true);
        expect(JSON.parse(parsed.msg) as JsonObject).toEqual(JSON.parse(sent[i]?.text ?? ""));
      });
      await destination.close();
    });

    it("writes a batch larger than the socket's buffer, waiting for drain", async () => {
      const origin = "tcp-large-batch";
      const destination = buildSyslogDestination(rsyslog.plainConfig(), contextFor(origin));
      const big = { message: "x".repeat(4000) };
      const sent = Array.from({ length: 1500 }, (_, i) => toOutgoing({ ...streamMessage(i, big), origin }, jsonBody));
      await destination.send(sent);
      const received = await rsyslog.waitForMessages(1500, fromOrigin(origin), 20_000);
      expect(received.map((m) => parseSyslogMessage(m.rawmsg).structuredData["trailproof@32473"]?.index)).toEqual(
        sent.map((m) => String(m.index)),
      );
      await destination.close();
    });

    it("delivers CEF bodies over TLS, the certificate checked against ca_pem and server_name", async () => {
      const origin = "tls-cef";
      const config = rsyslog.tlsConfig({ server_name: rsyslog.serverName, app_name: "audit-stream", facility: 10 });
      const destination = buildSyslogDestination(config, contextFor(origin));
      const nasty = { message: "pipes | equals = backslash \\ line\nbreak ünïcødé", outcome: { status: "denied" } };
      const sent = batch(origin, 40, 5, cefFormatter);
      sent[2] = toOutgoing({ ...streamMessage(42, nasty), origin }, cefFormatter);
      await destination.send(sent);
      const received = await rsyslog.waitForMessages(5, fromOrigin(origin));
      expect(received.map((m) => m.input)).toEqual(["tls", "tls", "tls", "tls", "tls"]);
      received.forEach((m, i) => {
        const parsed = parseSyslogMessage(m.rawmsg);
        expect(parsed.appName).toBe("audit-stream");
        expect(parsed.facility).toBe(10);
        const cef = parseCef(parsed.msg);
        expect(cef.signatureId).toBe("app.page.update");
        expect(cef.extension.cs1).toBe(origin);
        expect(cef.extension.cn1).toBe(String(40 + i));
        expect(cef.extension.externalId).toBe(`evt-${40 + i}`);
      });
      const third = received[2] as ReceivedSyslog;
      // Denied at low risk: syslog severity 5 (facility 10: PRI 85), CEF severity 3.
      expect(third.pri).toBe("85");
      expect(parseCef(parseSyslogMessage(third.rawmsg).msg)).toMatchObject({
        name: "pipes | equals = backslash \\ line break ünïcødé",
        severity: "3",
      });
      await destination.close();
    });

    it("checks an IP host against the certificate's IP address without server_name", async () => {
      const origin = "tls-ip";
      const destination = buildSyslogDestination(rsyslog.tlsConfig(), contextFor(origin));
      await destination.send(batch(origin, 1, 1, jsonBody));
      expect(await rsyslog.waitForMessages(1, fromOrigin(origin))).toHaveLength(1);
      await destination.close();
    });

    it("fails the handshake with STREAM_DESTINATION_FAILED for a CA that did not sign the server's certificate", async () => {
      const otherCa = makeCertificates(join(rsyslog.dir, "other-ca"));
      const origin = "tls-wrong-ca";
      const destination = buildSyslogDestination(
        rsyslog.tlsConfig({ ca_pem: otherCa, server_name: "syslog.test" }),
        contextFor(origin),
      );
      const err = await destinationFailure(destination.send(batch(origin, 1, 3, jsonBody)));
      expect(err.message).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/);
      expect(destination.generation).toBe(0);
      await destination.close();
    });

    it("fails the handshake with STREAM_DESTINATION_FAILED for a name the certificate does not carry", async () => {
      const origin = "tls-wrong-name";
      const destination = buildSyslogDestination(rsyslog.tlsConfig({ server_name: "other.test" }), contextFor(origin));
      const err = await destinationFailure(destination.send(batch(origin, 1, 1, jsonBody)));
      expect(err.message).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID/);
      // Give anything that did get through time to be written, then check nothing did.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(rsyslog.messages().filter(fromOrigin("tls-wrong-ca")).length).toBe(0);
      expect(rsyslog.messages().filter(fromOrigin(origin)).length).toBe(0);
      await destination.close();
    });
  },
);
