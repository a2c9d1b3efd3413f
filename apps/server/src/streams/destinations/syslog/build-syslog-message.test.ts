// RFC 5424 messages built for stream messages and read back: header fields,
// PRI from facility and severity, SD escaping, MSGID limits, the BOM.
import { describe, expect, it } from "vitest";
import { buildSyslogMessage, type SyslogMessageOptions } from "./build-syslog-message.js";
import { syslogTimestamp } from "./header-fields.js";
import { parseSyslogMessage } from "./parse-syslog-message.js";
import { DEFAULT_SD_ID, escapeParamValue, isPrivateSdId } from "./structured-data.js";
import { jsonBody, streamMessage, TEST_ORIGIN, toOutgoing } from "./syslog-messages.fixture.js";
import { syslogSeverity } from "./syslog-severity.js";

const options: SyslogMessageOptions = {
  facility: 13,
  hostname: "audit-1.example",
  appName: "trailproof",
  sdId: DEFAULT_SD_ID,
  origin: TEST_ORIGIN,
};

describe("buildSyslogMessage", () => {
  it("writes every RFC 5424 field and the stream's SD parameters", () => {
    const out = toOutgoing(streamMessage(7), jsonBody);
    const text = buildSyslogMessage(out, options);
    expect(text.startsWith("<110>1 2026-05-01T10:00:00.123Z audit-1.example trailproof - app.page.update [")).toBe(
      true,
    );
    const parsed = parseSyslogMessage(text);
    expect(parsed).toMatchObject({
      pri: 110,
      facility: 13,
      severity: 6,
      version: 1,
      timestamp: "2026-05-01T10:00:00.123Z",
      hostname: "audit-1.example",
      appName: "trailproof",
      procId: "-",
      msgId: "app.page.update",
      bom: true,
    });
    expect(parsed.structuredData).toEqual({
      "trailproof@32473": { origin: TEST_ORIGIN, index: "7", prev: "6", event_id: "evt-7" },
    });
    expect(JSON.parse(parsed.msg)).toEqual(streamMessage(7).event);
  });

  it("leaves prev out for a stream's first message", () => {
    const parsed = parseSyslogMessage(buildSyslogMessage(toOutgoing(streamMessage(0), jsonBody), options));
    expect(parsed.structuredData[DEFAULT_SD_ID]).toEqual({ origin: TEST_ORIGIN, index: "0", event_id: "evt-0" });
  });

  it('escapes ", \\ and ] in SD values and reads them back', () => {
    const origin = 'we"ird\\origin]x';
    const text = buildSyslogMessage(toOutgoing(streamMessage(1), jsonBody), { ...options, origin });
    expect(text).toContain('origin="we\\"ird\\\\origin\\]x"');
    expect(parseSyslogMessage(text).structuredData[DEFAULT_SD_ID]?.origin).toBe(origin);
  });

  it("cuts MSGID to 32 printable US-ASCII characters and uses NILVALUE for an empty hostname", () => {
    const out = { ...toOutgoing(streamMessage(1), jsonBody), action: `a.${"b".repeat(40)}` };
    const parsed = parseSyslogMessage(buildSyslogMessage(out, { ...options, hostname: "" }));
    expect(parsed.msgId).toBe(`a.${"b".repeat(30)}`);
    expect(parsed.hostname).toBe("-");
  });

  it("takes a configured SD-ID and facility", () => {
    const out = toOutgoing(streamMessage(3, { outcome: { status: "denied" }, risk: "critical" }), jsonBody);
    const parsed = parseSyslogMessage(buildSyslogMessage(out, { ...options, facility: 4, sdId: "audit@99999.1" }));
    expect(parsed.pri).toBe(4 * 8 + 2);
    expect(Object.keys(parsed.structuredData)).toEqual(["audit@99999.1"]);
  });
});

describe("syslogSeverity", () => {
  it.each([
    [undefined, undefined, 6],
    ["success", "low", 6],
    ["success", "medium", 5],
    ["success", "high", 4],
    ["success", "critical", 3],
    ["failure", "low", 5],
    ["denied", "high", 3],
    ["denied", "critical", 2],
    ["success", "unknown", 6],
  ])("outcome %s, risk %s is %i", (outcome, risk, severity) => {
    expect(syslogSeverity(outcome, risk)).toBe(severity);
  });
});

describe("syslogTimestamp", () => {
  it("keeps at most six fraction digits, upper-cases T and Z, and is NILVALUE for anything else", () => {
    expect(syslogTimestamp("2026-05-01t10:00:00.123456789z")).toBe("2026-05-01T10:00:00.123456Z");
    expect(syslogTimestamp("2026-05-01T10:00:00+02:00")).toBe("2026-05-01T10:00:00+02:00");
    expect(syslogTimestamp("yesterday")).toBe("-");
  });
});

describe("structured data names", () => {
  it("accepts name@number SD-IDs only, at most 32 characters", () => {
    expect(isPrivateSdId(DEFAULT_SD_ID)).toBe(true);
    expect(isPrivateSdId("trailproof")).toBe(false);
    expect(isPrivateSdId("a=b@1")).toBe(false);
    expect(isPrivateSdId('a"b@1')).toBe(false);
    expect(isPrivateSdId(`${"a".repeat(30)}@12`)).toBe(false);
    expect(escapeParamValue("plain ünïcode")).toBe("plain ünïcode");
  });
});

describe("parseSyslogMessage", () => {
  it("refuses a message that is not RFC 5424", () => {
    expect(() => parseSyslogMessage("<13>Oct 11 22:14:15 host app: hi")).toThrow(/RFC 5424/);
    expect(() => parseSyslogMessage('<13>1 - - - - - [x@1 a="b')).toThrow(/unterminated/);
  });
});
