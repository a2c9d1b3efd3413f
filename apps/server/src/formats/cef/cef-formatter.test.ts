// CEF lines built for stream messages and parsed back: header, severity, the
// extension key mapping, and escaping of pipes, equals signs, backslashes,
// line breaks and unicode in every place they can appear.
import { describe, expect, it } from "vitest";
import { streamMessage, TEST_ORIGIN } from "../../streams/destinations/syslog/syslog-messages.fixture.js";
import { escapeCefHeader, escapeCefValue } from "./cef-escape.js";
import { buildCefFormatter, cefFormatter } from "./cef-formatter.js";
import { cefSeverity } from "./cef-severity.js";
import { parseCef } from "./parse-cef.js";
import { PRODUCT_VERSION } from "./product-version.js";

describe("cefFormatter", () => {
  it("writes the header and maps the event to dictionary keys", () => {
    const line = cefFormatter(
      streamMessage(12, {
        context: { ip: "203.0.113.9", user_agent: "curl/8", request_id: "req-1" },
        outcome: { status: "denied", reason: "policy.blocked" },
        risk: "high",
        tags: ["module:builder", "team:a"],
      }),
    );
    expect(
      line.startsWith(`CEF:0|Trailproof|Trailproof|${PRODUCT_VERSION}|app.page.update|Zoë updated page Pricing|8|`),
    ).toBe(true);
    expect(line).not.toContain("\n");
    const parsed = parseCef(line);
    expect(parsed).toMatchObject({
      version: 0,
      vendor: "Trailproof",
      product: "Trailproof",
      productVersion: PRODUCT_VERSION,
      signatureId: "app.page.update",
      name: "Zoë updated page Pricing",
      severity: "8",
    });
    expect(parsed.extension).toEqual({
      rt: String(Date.parse("2026-05-01T10:00:00.123Z")),
      act: "app.page.update",
      cat: "configuration",
      outcome: "denied",
      reason: "policy.blocked",
      externalId: "evt-12",
      suid: "u-42",
      suser: "Zoë Example",
      src: "203.0.113.9",
      requestClientApplication: "curl/8",
      cs1Label: "origin",
      cs1: TEST_ORIGIN,
      cn1Label: "index",
      cn1: "12",
      cn2Label: "prev_index",
      cn2: "11",
      cs2Label: "target",
      cs2: "page:p-7",
      cs3Label: "target_name",
      cs3: "Pricing",
      cs5Label: "risk",
      cs5: "high",
      cs6Label: "request_id",
      cs6: "req-1",
      flexString1Label: "tags",
      flexString1: "module:builder,team:a",
    });
  });

  it("sends a person target as duser/duid, an IPv6 address as c6a2, and no prev for a first message", () => {
    const parsed = parseCef(
      cefFormatter(
        streamMessage(0, {
          target: { type: "user", id: "u-9", name: "Bob" },
          context: { ip: "2001:db8::1" },
          actor: { type: "service_account", id: "sa-1", on_behalf_of: { type: "user", id: "u-1" } },
        }),
      ),
    );
    expect(parsed.extension).toMatchObject({ duid: "u-9", duser: "Bob", c6a2: "2001:db8::1", c6a2Label: "source_ip" });
    expect(parsed.extension).toMatchObject({ cs4Label: "on_behalf_of", cs4: "user:u-1", suid: "sa-1" });
    for (const key of ["cn2", "cn2Label", "src", "suser", "cs3", "cs3Label"])
      expect(parsed.extension).not.toHaveProperty(key);
  });

  it("leaves out what the privacy mode dropped", () => {
    const { name: _, ...actor } = { type: "user", id: "pseudonym:9f", name: "x" };
    const parsed = parseCef(cefFormatter(streamMessage(2, { actor, message: undefined as never })));
    expect(parsed.extension.suid).toBe("pseudonym:9f");
    expect(parsed.extension).not.toHaveProperty("suser");
  });

  it("round-trips pipes, equals signs, backslashes, line breaks and unicode", () => {
    const nasty = "a|b=c\\d\ne\rf\r\n|| == \\\\ end\\ 🚀 日本 é";
    const line = buildCefFormatter("1.0|beta\\x")(
      streamMessage(5, {
        action: "app.x|y",
        message: nasty,
        actor: { type: "user", id: "u=1 act=forged", name: nasty },
        target: { type: "page", id: "p\\1", name: "ends with backslash\\" },
      }),
    );
    expect(line).not.toMatch(/[\r\n]/);
    const parsed = parseCef(line);
    expect(parsed.productVersion).toBe("1.0|beta\\x");
    expect(parsed.signatureId).toBe("app.x|y");
    // The header has no line breaks: each became a space.
    expect(parsed.name).toBe("a|b=c\\d e f || == \\\\ end\\ 🚀 日本 é");
    expect(parsed.extension.suser).toBe(nasty);
    expect(parsed.extension.suid).toBe("u=1 act=forged");
    expect(parsed.extension.act).toBe("app.x|y");
    expect(parsed.extension.cs2).toBe("page:p\\1");
    expect(parsed.extension.cs3).toBe("ends with backslash\\");
  });

  it("keeps a value with leading, trailing and inner spaces", () => {
    const parsed = parseCef(
      cefFormatter(streamMessage(1, { actor: { type: "user", id: "u", name: "  two  spaces  " } })),
    );
    expect(parsed.extension.suser).toBe("  two  spaces  ");
  });
});

describe("CEF escaping", () => {
  it("escapes as the CEF guide says", () => {
    expect(escapeCefHeader("a|b\\c")).toBe("a\\|b\\\\c");
    expect(escapeCefValue("a=b\\c\nd\re|f")).toBe("a\\=b\\\\c\\nd\\re|f");
  });
});

describe("cefSeverity", () => {
  it.each([
    [undefined, undefined, 2],
    ["success", "medium", 5],
    ["failure", "low", 3],
    ["denied", "high", 8],
    ["denied", "critical", 10],
  ])("outcome %s, risk %s is %i", (outcome, risk, severity) => {
    expect(cefSeverity(outcome, risk)).toBe(severity);
  });
});

describe("parseCef", () => {
  it("reads a line after a syslog header and refuses what is not CEF", () => {
    expect(parseCef("<14>1 - - - - - - CEF:0|V|P|1|sig|name|3|k=v w").extension).toEqual({ k: "v w" });
    expect(() => parseCef("LEEF:1.0|a|b")).toThrow(/CEF/);
    expect(() => parseCef("CEF:0|a|b|c")).toThrow(/fields/);
    expect(() => parseCef("CEF:0|a|b|c|d|e|1|novalue")).toThrow(/key=value/);
  });
});
