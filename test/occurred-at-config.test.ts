// The occurred_at bounds as an operator configures them: TRAILPROOF_OCCURRED_AT_MIN
// and TRAILPROOF_OCCURRED_AT_MAX_AHEAD_MS reach the service's seal workers,
// checked over real HTTP against a real SQLite file, and the stored leaves of
// what was accepted name the ingest key that sent them.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, type RunningServer, startServer } from "@trailproof/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let server: RunningServer;
let ingestKey: string;
let auditorKey: string;

async function api(path: string, key: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, text: await res.text() };
}

const event = (id: string, occurredAt: string) => ({
  id,
  action: "app.update",
  occurred_at: occurredAt,
  actor: { type: "user", id: "usr_ada" },
  target: { type: "app", id: "app_1" },
});

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "trailproof-bounds-"));
  const config = loadConfig(
    {
      TRAILPROOF_OCCURRED_AT_MIN: "2020-01-01",
      TRAILPROOF_OCCURRED_AT_MAX_AHEAD_MS: "60000",
      TRAILPROOF_LOG_LEVEL: "silent",
      TRAILPROOF_DEMO: "0",
    },
    { dataDir, port: 0 },
  );
  server = await startServer(config, () => undefined);
  const operator = server.created.operatorKey as string;
  const admin = JSON.parse((await api("/v1/tenants", operator, { name: "bounds" })).text).admin_key as string;
  ingestKey = JSON.parse((await api("/v1/keys", admin, { role: "ingest", name: "platform" })).text).key as string;
  auditorKey = JSON.parse((await api("/v1/keys", admin, { role: "auditor", name: "audit" })).text).key as string;
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe("TRAILPROOF_OCCURRED_AT_MIN and _MAX_AHEAD_MS over HTTP", () => {
  it("refuse what lies outside the configured range at /occurred_at, in batches sealed by workers too", async () => {
    const inRange = Array.from({ length: 40 }, (_, i) => event(`ok_${i}`, "2024-06-01T12:00:00Z"));
    const events = [
      ...inRange,
      event("too_early", "2019-12-31T23:59:59Z"),
      event("too_late", new Date(Date.now() + 5 * 60_000).toISOString()),
    ];
    const res = await api("/v1/events", ingestKey, { events });
    expect(res.status).toBe(200);
    const results = JSON.parse(res.text).results as { id: string; status: string; errors?: { pointer: string }[] }[];
    expect(results.slice(0, 40).every((r) => r.status === "created")).toBe(true);
    for (const r of results.slice(40)) {
      expect(r).toMatchObject({ status: "rejected" });
      expect(r.errors?.map((e) => e.pointer)).toEqual(["/occurred_at"]);
    }
  });

  it("stored the accepted events with the key that sent them", async () => {
    const entries = await api("/v1/log/entries?start=0&end=1000", auditorKey);
    const keyId = (/^tpk_([0-9a-f]{16})_/.exec(ingestKey) as RegExpExecArray)[1];
    const leaves = entries.text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; appended_by: unknown });
    const sent = leaves.filter((l) => l.id.startsWith("ok_"));
    expect(sent).toHaveLength(40);
    for (const l of sent) expect(l.appended_by).toEqual({ type: "api_key", id: keyId });
  });
});

describe("loadConfig", () => {
  it("defaults to 1970-01-01 and one day ahead", () => {
    expect(loadConfig({}).occurredAtBounds).toEqual({ minMs: 0, maxAheadMs: 86_400_000 });
  });

  it("takes a full RFC 3339 timestamp too", () => {
    expect(loadConfig({ TRAILPROOF_OCCURRED_AT_MIN: "2000-01-01T00:00:00+01:00" }).occurredAtBounds.minMs).toBe(
      Date.UTC(1999, 11, 31, 23),
    );
  });

  it.each([
    [{ TRAILPROOF_OCCURRED_AT_MIN: "yesterday" }, /TRAILPROOF_OCCURRED_AT_MIN/],
    [{ TRAILPROOF_OCCURRED_AT_MIN: "2020-02-30" }, /TRAILPROOF_OCCURRED_AT_MIN/],
    [{ TRAILPROOF_OCCURRED_AT_MAX_AHEAD_MS: "-1" }, /TRAILPROOF_OCCURRED_AT_MAX_AHEAD_MS/],
    [{ TRAILPROOF_OCCURRED_AT_MAX_AHEAD_MS: "1d" }, /TRAILPROOF_OCCURRED_AT_MAX_AHEAD_MS/],
  ])("refuses %j, naming the variable", (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
