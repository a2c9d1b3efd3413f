// Which URLs a channel may have, and what a Slack payload makes of a native one.
import { describe, expect, it } from "vitest";
import { channelUrlProblems, urlOrigin } from "./channel-url.js";
import { renderPayload } from "./render-payload.js";

describe("channelUrlProblems", () => {
  it("accepts https anywhere and http only to this machine or a listed host", () => {
    expect(channelUrlProblems("https://hooks.example.com/x?y=1", [])).toEqual([]);
    for (const local of ["http://127.0.0.1:8080/h", "http://localhost/h", "http://[::1]:9/h"]) {
      expect(channelUrlProblems(local, [])).toEqual([]);
    }
    expect(channelUrlProblems("http://receiver.internal/h", ["receiver.internal"])).toEqual([]);
    expect(channelUrlProblems("http://receiver.internal/h", [])).toEqual([
      { pointer: "/body/url", message: expect.stringMatching(/must use https/) },
    ]);
  });

  it("lists every problem: scheme, credentials, fragment, or no URL at all", () => {
    expect(channelUrlProblems("ftp://u:p@x.example/#f", []).map((p) => p.message)).toEqual([
      "must be an https URL, not ftp",
      "must not carry a user name or password",
      "must not have a fragment",
    ]);
    expect(channelUrlProblems("hooks.example.com", [])).toEqual([
      { pointer: "/body/url", message: "is not an absolute URL" },
    ]);
  });

  it("records a URL by its origin only (a Slack URL's path is its credential)", () => {
    expect(urlOrigin("https://hooks.slack.com/services/T0/B0/XXXX")).toBe("https://hooks.slack.com");
  });
});

describe("renderPayload", () => {
  const alert = {
    type: "alert.raise",
    tenant: "acme",
    message: "5 denials for <script> & more",
    alert: {
      severity: "high",
      rule_name: "Denied burst",
      rule_id: "rul_1",
      rule_version: 2,
      rule_type: "threshold",
      matched_count: 5,
    },
  };

  it("adds the delivery id to the native payload and changes nothing else", () => {
    expect(renderPayload(alert, "native", "dlv_1")).toEqual({ delivery_id: "dlv_1", ...alert });
  });

  it("builds a Slack message with text and blocks, escaping Slack's markup characters", () => {
    const slack = renderPayload(alert, "slack", "dlv_1") as { text: string; blocks: { type: string }[] };
    expect(slack.text).toBe(":rotating_light: Alert (high): Denied burst\n5 denials for &lt;script&gt; &amp; more");
    expect(slack.blocks.map((b) => b.type)).toEqual(["header", "section", "section", "context"]);
    expect(JSON.stringify(slack.blocks)).toContain("delivery dlv_1");
    const operator = renderPayload({ type: "operator.alert", alert_kind: "self_check_failed" }, "slack", "dlv_2");
    expect(operator.text).toBe(":warning: Trailproof operator alert: self_check_failed");
  });
});
