// The service's default output (issue 11): the startup banner, warnings and
// errors, no line per request; TRAILPROOF_ACCESS_LOG=1 (`serve --access-log`)
// adds one access line per request. Runs the service in a child process and
// reads what it writes to stdout, as a terminal running `npm start` would.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@trailproof/server";
import { describe, expect, it } from "vitest";

const child = join(import.meta.dirname, "access-log-child.ts");

/** Everything the service wrote to stdout, with `env` over the test's environment. */
async function serviceOutput(env: Record<string, string>): Promise<string[]> {
  const dataDir = mkdtempSync(join(tmpdir(), "trailproof-access-log-"));
  const { TRAILPROOF_ACCESS_LOG: _a, TRAILPROOF_LOG_LEVEL: _l, ...inherited } = process.env;
  const proc = spawn(process.execPath, ["--conditions=@trailproof/source", "--import", "tsx", child, dataDir], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...inherited, ...env },
  });
  let out = "";
  proc.stdout.setEncoding("utf8");
  proc.stdout.on("data", (chunk: string) => {
    out += chunk;
  });
  const code = await new Promise<number | null>((resolve) => proc.once("exit", resolve));
  expect(code).toBe(0);
  return out.split("\n").filter((l) => l.length > 0);
}

/** The pino JSON lines among `lines`. */
function logLines(
  lines: string[],
): { level: number; msg: string; req?: { url: string }; res?: { statusCode: number } }[] {
  return lines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
}

describe("access log", () => {
  it("is off by default: the banner and no line per request", async () => {
    const lines = await serviceOutput({});
    expect(lines).toContain("DONE");
    expect(lines.some((l) => l.startsWith("Trailproof listening on http://127.0.0.1:"))).toBe(true);
    const logs = logLines(lines);
    expect(logs.filter((l) => /request/i.test(l.msg))).toEqual([]);
    expect(logs.filter((l) => l.level < 40).map((l) => l.msg)).toEqual([
      expect.stringMatching(/^Server listening at http:\/\/127\.0\.0\.1:\d+$/),
    ]);
  }, 60_000);

  it("writes one line per request at info with TRAILPROOF_ACCESS_LOG=1", async () => {
    const logs = logLines(await serviceOutput({ TRAILPROOF_ACCESS_LOG: "1" }));
    const access = logs.filter((l) => l.msg === "request completed");
    expect(access.map((l) => [l.level, l.res?.statusCode])).toEqual([
      [30, 200],
      [30, 200],
      [30, 401],
      [30, 404],
    ]);
    expect(logs.some((l) => l.msg === "incoming request")).toBe(false);
  }, 60_000);

  it("refuses a value it cannot read, naming the variable", async () => {
    expect(() => loadConfig({ TRAILPROOF_ACCESS_LOG: "yes" })).toThrow(/TRAILPROOF_ACCESS_LOG must be 1 or 0/);
    expect(loadConfig({ TRAILPROOF_ACCESS_LOG: "1" }).accessLog).toBe(true);
    expect(loadConfig({}).accessLog).toBe(false);
  });
});
