// Hostile and malformed requests: each is answered with a 4xx problem+json
// naming what is wrong, nothing is written for it, and no request in this file
// ever gets a 5xx.
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiFixture, buildApiFixture, problemOf, validEvent } from "./api-fixture.js";

let f: ApiFixture;
let small: FastifyInstance;
const smallStatuses: number[] = [];

beforeAll(async () => {
  f = await buildApiFixture();
  small = await f.appWith({ maxBodyBytes: 4096, maxBatchEvents: 3 });
});
afterAll(async () => {
  await small?.close();
  await f?.close();
});

const size = () => f.data.ledger.treeSize("acme");
const ingest = (body: unknown, headers?: Record<string, string>) =>
  f.request("POST", "/v1/events", f.acme.ingest, body, headers);
const asJson = { "content-type": "application/json" };

function expectProblem(res: LightMyRequestResponse, status: number, code: string, pointers?: string[]) {
  expect(res.statusCode, res.body.slice(0, 300)).toBe(status);
  const problem = problemOf(res);
  expect(problem).toMatchObject({ status, code, detail: expect.any(String) });
  if (pointers) expect(problem.problems?.map((p) => p.pointer)).toEqual(pointers);
  return problem;
}

/** Runs `send` and checks that acme's log did not grow. */
async function nothingWritten(send: () => Promise<LightMyRequestResponse>): Promise<LightMyRequestResponse> {
  const before = await size();
  const res = await send();
  expect(await size()).toBe(before);
  return res;
}

describe("ingest: refused requests", () => {
  it.each([
    { label: "invalid JSON", body: '{"id": "x", ', code: "REQUEST_MALFORMED_JSON" },
    { label: "an empty JSON body", body: "", code: "REQUEST_MALFORMED_JSON" },
    { label: "a JSON array", body: "[]", code: "REQUEST_INVALID", pointers: ["/body"] },
    { label: "a JSON string", body: '"event"', code: "REQUEST_INVALID", pointers: ["/body"] },
    { label: '{"events": "x"}', body: '{"events":"x"}', code: "REQUEST_INVALID", pointers: ["/events"] },
  ])("$label is 400 $code", async ({ body, code, pointers }) => {
    const res = await nothingWritten(() => ingest(body, asJson));
    expectProblem(res, 400, code, pointers);
  });

  it("no body at all is 400 REQUEST_INVALID at /body", async () => {
    const res = await nothingWritten(() => ingest(undefined));
    expectProblem(res, 400, "REQUEST_INVALID", ["/body"]);
  });

  it.each(["text/plain", "application/x-www-form-urlencoded", "application/xml"])(
    "a JSON event sent as %s is 415 REQUEST_UNSUPPORTED_MEDIA_TYPE",
    async (type) => {
      const res = await nothingWritten(() =>
        ingest(JSON.stringify(validEvent("as_other_type")), { "content-type": type }),
      );
      expectProblem(res, 415, "REQUEST_UNSUPPORTED_MEDIA_TYPE");
    },
  );

  it("a body over maxBodyBytes is 413 REQUEST_TOO_LARGE", async () => {
    const before = await size();
    const body = JSON.stringify(validEvent("too_big", { metadata: { pad: "x".repeat(5000) } }));
    const res = await small.inject({
      method: "POST",
      url: "/v1/events",
      headers: { authorization: `Bearer ${f.acme.ingest}`, ...asJson },
      payload: body,
    });
    smallStatuses.push(res.statusCode);
    expectProblem(res, 413, "REQUEST_TOO_LARGE");
    expect(await size()).toBe(before);
  });

  it("more than maxBatchEvents events is 413 BATCH_TOO_LARGE, and none is written", async () => {
    const before = await size();
    const events = [1, 2, 3, 4].map((i) => validEvent(`batch_${i}`));
    const res = await small.inject({
      method: "POST",
      url: "/v1/events",
      headers: { authorization: `Bearer ${f.acme.ingest}`, ...asJson },
      payload: JSON.stringify({ events }),
    });
    smallStatuses.push(res.statusCode);
    const problem = expectProblem(res, 413, "BATCH_TOO_LARGE", ["/events"]);
    expect(problem.problems?.[0]?.message).toBe("has 4 events; send at most 3");
    expect(await size()).toBe(before);
  });

  it.each([
    { label: "__proto__ at the top", body: `{"id":"p1","__proto__":{"admin":true}}` },
    { label: "__proto__ inside metadata", body: `{"id":"p2","metadata":{"a":[{"__proto__":{"x":1}}]}}` },
    { label: "constructor.prototype", body: `{"id":"p3","metadata":{"constructor":{"prototype":{"x":1}}}}` },
  ])("$label is refused as 400, saying why", async ({ body }) => {
    const res = await nothingWritten(() => ingest(body, asJson));
    const problem = expectProblem(res, 400, "REQUEST_MALFORMED_JSON");
    // The body is valid JSON; the caller must be told which key was refused.
    expect(problem.detail).toMatch(/__proto__|constructor|forbidden/);
  });
});

/** A single event that is refused: one `rejected` result listing its problems, nothing written. */
async function expectRejected(event: unknown, pointers: (string | RegExp)[]) {
  const res = await nothingWritten(() => ingest(typeof event === "string" ? event : JSON.stringify(event), asJson));
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  const [result, ...more] = res.json().results as { status: string; errors: { pointer: string; message: string }[] }[];
  expect(more).toEqual([]);
  expect(result?.status).toBe("rejected");
  expect(result?.errors.map((e) => e.pointer)).toEqual(
    pointers.map((p) => (typeof p === "string" ? p : expect.stringMatching(p))),
  );
  return result?.errors ?? [];
}

// docs/api.md: a well-formed request is answered 200 with one result per
// event; a refused event is `rejected` with every problem (its JSON pointers).
describe("ingest: refused events", () => {
  it("10,000 levels of arrays inside metadata", async () => {
    const deep = `${"[".repeat(10_000)}1${"]".repeat(10_000)}`;
    const body = JSON.stringify(validEvent("deep")).replace(/}$/, `,"metadata":{"x":${deep}}}`);
    const [problem] = await expectRejected(body, [/^\/metadata\/x(\/0)+$/]);
    expect(problem?.message).toContain("nesting deeper than 32 levels");
  });

  it("a 2 MB string", async () => {
    const errors = await expectRejected(validEvent("huge", { metadata: { note: "x".repeat(2 * 1024 * 1024) } }), [
      "",
      "/metadata",
    ]);
    expect(errors[0]?.message).toMatch(/the limit is 262144/);
  });

  it("a key named constructor that the JSON parser lets through", async () => {
    await expectRejected(validEvent("ctor", { metadata: { constructor: "x" } }), ["/metadata/constructor"]);
  });

  it.each([
    { at: "2026-02-30T00:00:00Z", message: "has day 30, which month 2 of 2026 does not have" },
    { at: "2026-02-03T00:00:00", message: "must be an RFC 3339 timestamp with a UTC offset" },
    { at: "yesterday", message: "must be an RFC 3339 timestamp with a UTC offset" },
  ])("occurred_at $at", async ({ at, message }) => {
    const [problem] = await expectRejected(validEvent("bad_date", { occurred_at: at }), ["/occurred_at"]);
    expect(problem?.message).toContain(message);
  });

  it("an unknown top-level field", async () => {
    const [problem] = await expectRejected(validEvent("colourful", { colour: "red" }), ["/colour"]);
    expect(problem?.message).toBe("is not an allowed field here");
  });

  it("one bad event among good ones: the good are created, the bad lists every problem, in order", async () => {
    const before = await size();
    const bad = validEvent("mix_bad", { colour: "red", occurred_at: "soon", actor: { type: "robot", id: "r" } });
    const res = await ingest({ events: [validEvent("mix_1"), bad, validEvent("mix_2")] });
    expect(res.statusCode).toBe(200);
    const results = res.json().results;
    expect(results.map((r: { id: string; status: string }) => `${r.id}:${r.status}`)).toEqual([
      "mix_1:created",
      "mix_bad:rejected",
      "mix_2:created",
    ]);
    expect(results[1].errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      "/actor/type",
      "/colour",
      "/occurred_at",
    ]);
    expect(results[2].index).toBe(results[0].index + 1);
    expect(await size()).toBe(before + 2);
  });

  it("a duplicate id with the same content is a duplicate with the original receipt", async () => {
    const first = await ingest(validEvent("dup_same"));
    const original = first.json().results[0];
    expect(original.status).toBe("created");
    const again = await nothingWritten(() => ingest(validEvent("dup_same")));
    expect(again.json().results).toEqual([{ ...original, status: "duplicate" }]);
  });

  it("a duplicate id with different content is rejected at /id", async () => {
    expect((await ingest(validEvent("dup_diff"))).json().results[0].status).toBe("created");
    const [problem] = await expectRejected(validEvent("dup_diff", { target: { type: "app", id: "other" } }), ["/id"]);
    expect(problem?.message).toContain("different content");
  });
});

describe("reads", () => {
  const read = (url: string, key = f.acme.auditor) => f.request("GET", url, key);

  it.each([
    { url: "/v1/events?cursor=garbage", code: "SEARCH_CURSOR_INVALID", pointers: ["/cursor"] },
    { url: "/v1/events?limit=0", code: "REQUEST_INVALID", pointers: ["/querystring/limit"] },
    { url: "/v1/events?limit=501", code: "REQUEST_INVALID", pointers: ["/querystring/limit"] },
    { url: "/v1/events?limit=ten", code: "REQUEST_INVALID", pointers: ["/querystring/limit"] },
    { url: "/v1/events?order=sideways", code: "REQUEST_INVALID" },
    { url: "/v1/events?from=2026-02-30T00:00:00Z", code: "SEARCH_QUERY_INVALID", pointers: ["/from"] },
    { url: "/v1/stats?bucket=minute&from=2000-01-01T00:00:00Z", code: "STATS_TOO_MANY_BUCKETS" },
    { url: "/v1/log/entries?start=5&end=5", code: "LOG_RANGE_INVALID" },
    { url: "/v1/log/entries?start=5&end=2", code: "LOG_RANGE_INVALID" },
    { url: "/v1/log/entries?start=100000&end=100001", code: "LOG_RANGE_INVALID" },
    { url: "/v1/log/proof/inclusion?index=0&size=100000", code: "PROOF_SIZE_OUT_OF_RANGE", pointers: ["/size"] },
    { url: "/v1/log/proof/inclusion?index=7&size=7", code: "PROOF_SIZE_OUT_OF_RANGE", pointers: ["/index"] },
    { url: "/v1/log/proof/inclusion?index=0&size=0", code: "PROOF_SIZE_OUT_OF_RANGE", pointers: ["/size"] },
    { url: "/v1/log/proof/consistency?from=1&to=100000", code: "PROOF_SIZE_OUT_OF_RANGE", pointers: ["/to"] },
    { url: "/v1/log/proof/consistency?from=0&to=5", code: "PROOF_SIZE_OUT_OF_RANGE", pointers: ["/from"] },
    { url: "/v1/log/proof/consistency?from=9&to=5", code: "PROOF_SIZE_OUT_OF_RANGE", pointers: ["/from"] },
    { url: "/v1/log/proof/inclusion?index=0&size=9007199254740993", code: "REQUEST_INVALID" },
    { url: "/v1/targets/record/rec_chain/history?at=yesterday", code: "REQUEST_INVALID", pointers: ["/query/at"] },
  ])("$url is 400 $code", async ({ url, code, pointers }) => {
    expectProblem(await read(url), 400, code, pointers);
  });

  it("bad search syntax is SEARCH_QUERY_INVALID naming the column", async () => {
    const q = encodeURIComponent('actor:usr_ada colour:red "unclosed');
    const problem = expectProblem(await read(`/v1/events?q=${q}`), 400, "SEARCH_QUERY_INVALID");
    const messages = problem.problems?.map((p) => p.message) ?? [];
    expect(problem.problems?.every((p) => p.pointer === "/q")).toBe(true);
    expect(messages).toContainEqual(expect.stringMatching(/unknown key "colour" at column 15/));
    expect(messages).toContainEqual(expect.stringMatching(/column 26/));
  });

  it("an unknown query parameter is 400 REQUEST_INVALID naming the parameter", async () => {
    const problem = expectProblem(await read("/v1/events?colour=red"), 400, "REQUEST_INVALID");
    expect(problem.problems?.map((p) => p.pointer)).toEqual(["/querystring/colour"]);
  });

  // Target types the envelope cannot hold: refused up front, or an empty history; never a failed meta-audit.
  it.each(["Weird Type", "__proto__", "ty\u0000pe"])("history of target type %j is not a 5xx", async (type) => {
    const res = await read(`/v1/targets/${encodeURIComponent(type)}/x/history`);
    expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
    if (res.statusCode === 200) expect(res.json().events).toEqual([]);
    else expectProblem(res, 400, "REQUEST_INVALID");
  });

  it.each([
    ["an event id", `/v1/events/${"e".repeat(200)}`],
    ["a trace id", `/v1/events/${"e".repeat(200)}/trace`],
    ["a target id", `/v1/targets/record/${"r".repeat(300)}/history`],
  ])("%s longer than allowed is a problem+json 4xx", async (_label, url) => {
    const res = await read(url);
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(problemOf(res).code).toMatch(/^(REQUEST_INVALID|EVENT_NOT_FOUND)$/);
  });
});

describe("schema registration", () => {
  const post = (body: unknown) => f.request("POST", "/v1/schemas", f.acme.admin, body);

  it("an incompatible version is 409 SCHEMA_INCOMPATIBLE listing each break, and not registered", async () => {
    const current = (await f.request("GET", "/v1/schemas/app.page.update", f.acme.admin)).json().versions[0];
    const narrowed = {
      ...current,
      version: 2,
      metadataSchema: { ...current.metadataSchema, required: ["page_id"], additionalProperties: false },
    };
    const problem = expectProblem(await post(narrowed), 409, "SCHEMA_INCOMPATIBLE");
    expect(problem.problems).toEqual([
      { pointer: "/metadataSchema/properties/page_id", message: "became required" },
      {
        pointer: "/metadataSchema/additionalProperties",
        message: "additionalProperties became false, so fields not listed in properties are now rejected",
      },
    ]);
    const after = await f.request("GET", "/v1/schemas/app.page.update", f.acme.admin);
    expect(after.json().versions).toHaveLength(1);
  });

  it("an invalid definition is 400 SCHEMA_INVALID with every problem", async () => {
    const problem = expectProblem(
      await post({ action: "Widget.Tune", version: 0, kind: "rename", category: "configuration", defaultRisk: "low" }),
      400,
      "SCHEMA_INVALID",
    );
    expect(problem.problems?.map((p) => p.pointer).sort()).toEqual(["/action", "/kind", "/version"]);
  });

  it("a schema that does not compile is 400 SCHEMA_INVALID at its pointer", async () => {
    const def = { action: "widget.tune", version: 1, kind: "update", category: "configuration", defaultRisk: "low" };
    const problem = expectProblem(await post({ ...def, metadataSchema: { type: "strin" } }), 400, "SCHEMA_INVALID");
    expect(problem.problems?.map((p) => p.pointer)).toEqual(["/metadataSchema"]);
  });
});

describe("the whole file", () => {
  it("never got a 5xx", () => {
    expect(f.statuses.length).toBeGreaterThan(40);
    expect([...f.statuses, ...smallStatuses].filter((s) => s >= 500)).toEqual([]);
  });
});
