import { Writable } from "node:stream";
import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { AccessLog } from "./access-log.js";

async function linesAt(level: string, fail = false, enabled = false): Promise<{ msg: string; level: number }[]> {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const app = Fastify({ logger: { level, stream }, logController: new AccessLog({ enabled }) });
  app.post("/v1/events", async () => {
    if (fail) throw new Error("boom");
    return { results: [] };
  });
  await app.inject({ method: "POST", url: "/v1/events", payload: {} });
  await app.close();
  return lines.map((l) => JSON.parse(l));
}

describe("AccessLog", () => {
  it("writes no line per request at info", async () => {
    expect(await linesAt("info")).toEqual([]);
  });

  it("writes one access line per request at debug", async () => {
    const lines = await linesAt("debug");
    expect(lines.filter((l) => l.msg === "request completed")).toHaveLength(1);
    expect(lines.some((l) => l.msg === "incoming request")).toBe(false);
  });

  it("writes one access line per request at info when enabled", async () => {
    const lines = await linesAt("info", false, true);
    expect(lines.filter((l) => l.msg === "request completed").map((l) => l.level)).toEqual([30]);
  });

  it("still logs a failed request at error", async () => {
    const lines = await linesAt("info", true);
    expect(lines.some((l) => l.level === 50)).toBe(true);
  });
});
