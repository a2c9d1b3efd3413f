// The connection limits: loadConfig refuses limits Node would read as "none",
// and Node checks them often enough that none is overrun by more than a second.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { connectionLimits } from "./connection-limits.js";

describe("connection limits", () => {
  it("default to 10 s for headers, 30 s for the request, 5 s for keep-alive, checked every second", () => {
    const limits = connectionLimits(loadConfig({}));
    expect(limits.http).toMatchObject({
      headersTimeout: 10_000,
      requestTimeout: 30_000,
      keepAliveTimeout: 5_000,
      connectionsCheckingInterval: 1_000,
    });
    expect(limits).toMatchObject({ requestTimeout: 30_000, keepAliveTimeout: 5_000, connectionTimeout: 30_000 });
  });

  it("are checked four times per shortest limit when limits are short", () => {
    const config = loadConfig({ TRAILPROOF_HEADERS_TIMEOUT_MS: "600", TRAILPROOF_REQUEST_TIMEOUT_MS: "1200" });
    expect(connectionLimits(config).http.connectionsCheckingInterval).toBe(150);
  });

  it.each([
    [{ TRAILPROOF_REQUEST_TIMEOUT_MS: "0" }, /at least 1/],
    [{ TRAILPROOF_HEADERS_TIMEOUT_MS: "0" }, /at least 1/],
    [{ TRAILPROOF_KEEP_ALIVE_TIMEOUT_MS: "0" }, /at least 1/],
    [{ TRAILPROOF_HEADERS_TIMEOUT_MS: "40000" }, /HEADERS_TIMEOUT_MS \(40000\) must not exceed/],
  ])("refuse %j, which Node would read as no limit or as a headers limit it never reaches", (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
