// Strict input over real HTTP: bodies that are not I-JSON (bytes that are not
// UTF-8, lone surrogates, repeated member names), a charset other than UTF-8
// and identifiers with control or bidirectional characters are refused with
// problem+json naming what and where, and nothing is written for them.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiFixture, buildApiFixture, validEvent } from "./api-fixture.js";
import { type RawResponse, rawExchange, rawRequest } from "./raw-http.js";

let f: ApiFixture;
let server: FastifyInstance;
let port: number;

beforeAll(async () => {
  f = await buildApiFixture();
  server = await f.appWith({});
  await server.listen({ host: "127.0.0.1", port: 0 });
  port = (server.server.address() as { port: number }).port;
});
afterAll(async () => {
  await server?.close();
  await f?.close();
});

const size = () => f.data.ledger.treeSize("acme");
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : Buffer.from(p))));

/** POSTs `body` to /v1/events as acme's ingest key, over a raw socket, and checks acme's log did not grow. */
async function ingestUnwritten(body: Uint8Array | string, contentType = "application/json"): Promise<RawResponse> {
  const before = await size();
  const headers = { authorization: `Bearer ${f.acme.ingest}`, "content-type": contentType };
  const res = await rawExchange(port, { pieces: [rawRequest("POST", "/v1/events", headers, body)] });
  expect(await size()).toBe(before);
  return res;
}

function expectProblem(res: RawResponse, status: number, code: string) {
  expect(res.status, res.body.slice(0, 300)).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(res.body);
  expect(problem).toMatchObject({ status, code, detail: expect.any(String), request_id: expect.any(String) });
  return problem as { detail: string; problems?: { pointer: string; message: string }[] };
}

/** The event's JSON text with `actor.id` spelled as the raw bytes `id` between its quotes. */
function eventWithActorIdBytes(id: number[]): Buffer {
  const [head, tail] = JSON.stringify(validEvent("raw_bytes", { actor: { type: "user", id: "@@" } })).split("@@");
  return bytes(head as string, id, tail as string);
}

describe("bodies that are not UTF-8 are refused, not turned into U+FFFD", () => {
  it.each([
    { label: "a lone continuation byte", id: [0x75, 0x80] },
    { label: "an overlong encoding of /", id: [0xc0, 0xaf] },
    { label: "a UTF-8-encoded surrogate (raw lone surrogate)", id: [0xed, 0xa0, 0x80] },
    { label: "a Latin-1 é", id: [0x6a, 0x6f, 0x73, 0xe9] },
  ])("$label in actor.id: 400 at /actor/id with its byte offset", async ({ id }) => {
    const problem = expectProblem(await ingestUnwritten(eventWithActorIdBytes(id)), 400, "REQUEST_MALFORMED_JSON");
    expect(problem.problems).toEqual([
      { pointer: "/actor/id", message: expect.stringMatching(/^is not UTF-8 at byte \d+ \(in this string\)/) },
    ]);
  });

  it("a byte order mark", async () => {
    const body = bytes([0xef, 0xbb, 0xbf], JSON.stringify(validEvent("bom")));
    const problem = expectProblem(await ingestUnwritten(body), 400, "REQUEST_MALFORMED_JSON");
    expect(problem.detail).toMatch(/byte order mark/);
  });
});

describe("what JSON.parse would let through is refused", () => {
  it("an escaped lone surrogate in metadata", async () => {
    const body = JSON.stringify(validEvent("lone", { metadata: { note: "@@" } })).replace("@@", "x\\ud800");
    const problem = expectProblem(await ingestUnwritten(body), 400, "REQUEST_MALFORMED_JSON");
    expect(problem.problems).toEqual([{ pointer: "/metadata/note", message: expect.stringMatching(/lone surrogate/) }]);
  });

  it("a second actor after the first (JSON.parse would keep the second)", async () => {
    const body = `{"id":"dup_actor","action":"app.update","occurred_at":"2026-11-05T12:00:00Z","actor":{"type":"user","id":"usr_intern"},"target":{"type":"app","id":"app_1"},"actor":{"type":"user","id":"usr_ceo"}}`;
    const problem = expectProblem(await ingestUnwritten(body), 400, "REQUEST_MALFORMED_JSON");
    expect(problem.problems).toEqual([
      { pointer: "/actor", message: expect.stringMatching(/second member named "actor"/) },
    ]);
    expect(problem.detail).toMatch(/I-JSON/);
  });

  it("a repeated name deep in a batch: the whole batch is refused", async () => {
    const good = JSON.stringify(validEvent("batch_good"));
    const bad = JSON.stringify(validEvent("batch_bad")).replace('"id":"app_test"', '"id":"app_test","id":"app_other"');
    const problem = expectProblem(await ingestUnwritten(`{"events":[${good},${bad}]}`), 400, "REQUEST_MALFORMED_JSON");
    expect(problem.problems?.map((p) => p.pointer)).toEqual(["/events/1/target/id"]);
  });

  it("a repeated role when creating a key: refused, and no key is created", async () => {
    const tenantId = (await f.data.ledger.tenantRecord("acme")).tenantId;
    const keys = (await f.data.access.listApiKeys(tenantId)).length;
    const before = await size();
    const headers = { authorization: `Bearer ${f.acme.admin}`, "content-type": "application/json" };
    const body = '{"role":"viewer","name":"dup-role","role":"admin"}';
    const res = await rawExchange(port, { pieces: [rawRequest("POST", "/v1/keys", headers, body)] });
    expect(expectProblem(res, 400, "REQUEST_MALFORMED_JSON").problems?.map((p) => p.pointer)).toEqual(["/role"]);
    expect((await f.data.access.listApiKeys(tenantId)).length).toBe(keys);
    expect(await size()).toBe(before);
  });
});

describe("charsets", () => {
  it.each(["latin1", "ISO-8859-1", "utf-16", '"windows-1252"'])("charset=%s is 415", async (charset) => {
    const res = await ingestUnwritten(JSON.stringify(validEvent("charset")), `application/json; charset=${charset}`);
    const problem = expectProblem(res, 415, "REQUEST_UNSUPPORTED_MEDIA_TYPE");
    expect(problem.detail).toMatch(/JSON is UTF-8/);
  });

  it('charset=UTF-8, utf-8 and "utf-8" are accepted and written', async () => {
    for (const [i, charset] of ["UTF-8", "utf-8", '"utf-8"'].entries()) {
      const before = await size();
      const headers = {
        authorization: `Bearer ${f.acme.ingest}`,
        "content-type": `application/json;charset=${charset}`,
      };
      const body = JSON.stringify(validEvent(`charset_ok_${i}`, { actor: { type: "user", id: "usr_ünï 名前 😀" } }));
      const res = await rawExchange(port, { pieces: [rawRequest("POST", "/v1/events", headers, body)] });
      expect(res.status, res.body).toBe(200);
      expect(JSON.parse(res.body).results[0].status).toBe("created");
      expect(await size()).toBe(before + 1);
    }
  });
});

describe("identifiers with control or bidirectional formatting characters", () => {
  it("usr_\\u202eimda (shown as usr_admi) is a rejected event, nothing written", async () => {
    const event = validEvent("bidi", {
      actor: { type: "user", id: "usr_\u202eimda", name: "Mallory \u202e (free text may)" },
      context: { environment: "prod\u0007" },
      tags: ["module:x"],
    });
    const res = await ingestUnwritten(JSON.stringify(event));
    expect(res.status, res.body).toBe(200);
    const [result] = JSON.parse(res.body).results;
    expect(result).toMatchObject({ status: "rejected" });
    expect(result.errors).toEqual([
      { pointer: "/actor/id", message: expect.stringMatching(/U\+202E \(RIGHT-TO-LEFT OVERRIDE/) },
      { pointer: "/context/environment", message: expect.stringMatching(/U\+0007 \(a control character\)/) },
    ]);
  });
});
