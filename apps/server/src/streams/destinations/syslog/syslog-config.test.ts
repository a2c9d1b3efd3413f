// The syslog destination's configuration problems, each with its pointer.
import { hasErrorCode } from "@trailproof/core";
import { describe, expect, it } from "vitest";
import type { SyslogDestinationConfig } from "../../stream-types.js";
import { syslogConfigProblems } from "./syslog-config.js";
import { buildSyslogDestination } from "./syslog-destination.js";

const good: SyslogDestinationConfig = { type: "syslog", host: "siem.example", port: 6514, tls: true };
const context = { streamId: "s", origin: "o", tenant: "t", secret: undefined, timeoutMs: 1000 };

describe("syslogConfigProblems", () => {
  it("accepts a good configuration", () => {
    expect(syslogConfigProblems(good)).toEqual([]);
  });

  it("lists every problem", () => {
    const bad = {
      type: "syslog",
      host: " ",
      port: 70000,
      tls: false,
      ca_pem: "x",
      app_name: "has space",
      facility: 24,
      sd_id: "nonumber",
    } satisfies SyslogDestinationConfig;
    expect(syslogConfigProblems(bad, "/destination").map((p) => p.pointer)).toEqual([
      "/destination/host",
      "/destination/port",
      "/destination/facility",
      "/destination/app_name",
      "/destination/sd_id",
      "/destination/tls",
    ]);
  });

  it("makes the factory refuse with STREAM_INVALID", () => {
    let caught: unknown;
    try {
      buildSyslogDestination({ ...good, port: 0 }, context);
    } catch (err) {
      caught = err;
    }
    expect(hasErrorCode(caught, "STREAM_INVALID")).toBe(true);
  });
});
