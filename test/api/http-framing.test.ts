// What Node's HTTP parser refuses before any route runs, and clients too slow
// to finish a request, over raw sockets against a real listening server with
// small limits: each is answered problem+json with its status, the
// connection is closed promptly, and nothing is written.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiFixture, buildApiFixture, validEvent } from "./api-fixture.js";
import { piecesOf, type RawExchange, type RawResponse, rawExchange, rawRequest } from "./raw-http.js";

const HEADERS_TIMEOUT_MS = 600;
const REQUEST_TIMEOUT_MS = 1200;
const KEEP_ALIVE_TIMEOUT_MS = 300;

let f: ApiFixture;
let server: FastifyInstance;
let port: number;

beforeAll(async () => {
  f = await buildApiFixture();
  server = await f.appWith({
    headersTimeoutMs: HEADERS_TIMEOUT_MS,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: KEEP_ALIVE_TIMEOUT_MS,
  });
  await server.listen({ host: "127.0.0.1", port: 0 });
  port = (server.server.address() as { port: number }).port;
});
afterAll(async () => {
  await server?.close();
  await f?.close();
});

const size = () => f.data.ledger.treeSize("acme");

/** Runs the exchange and checks that acme's log did not grow. */
async function unwritten(exchange: RawExchange): Promise<RawResponse> {
  const before = await size();
  const res = await rawExchange(port, exchange);
  expect(await size()).toBe(before);
  return res;
}

function expectProblem(res: RawResponse, status: number, code: string): { detail: string } {
  expect(res.status, res.body.slice(0, 300)).toBe(status);
  expect(res.headers["content-type"]).toBe("application/problem+json");
  expect(res.headers.connection).toBe("close");
  const problem = JSON.parse(res.body);
  expect(problem).toMatchObject({
    type: `urn:trailproof:problem:${code.toLowerCase().replaceAll("_", "-")}`,
    status,
    code,
    detail: expect.any(String),
    request_id: res.headers["x-request-id"],
  });
  return problem;
}

const ingestHead = (headers: Record<string, string>) =>
  [
    "POST /v1/events HTTP/1.1",
    "host: 127.0.0.1",
    `authorization: Bearer ${f.acme.ingest}`,
    "content-type: application/json",
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    "",
    "",
  ].join("\r\n");

const event = () => JSON.stringify(validEvent(`framing_${Math.random().toString(36).slice(2)}`));

describe("what Node would answer on its own is problem+json too", () => {
  it("a request without Host: 400", async () => {
    const res = await unwritten({ pieces: ["GET /healthz HTTP/1.1\r\nconnection: close\r\n\r\n"] });
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.body)).toMatchObject({ code: "REQUEST_INVALID", detail: expect.stringMatching(/Host/) });
  });

  it("an expectation other than 100-continue: 417", async () => {
    const res = await unwritten({ pieces: ["GET /healthz HTTP/1.1\r\nhost: x\r\nexpect: the-unexpected\r\n\r\n"] });
    expect(res.status).toBe(417);
    expect(res.headers["content-type"]).toBe("application/problem+json");
    expect(JSON.parse(res.body)).toMatchObject({ code: "REQUEST_EXPECTATION_FAILED" });
  });

  it("CONNECT: 405, then the connection closes", async () => {
    expectProblem(
      await unwritten({ pieces: ["CONNECT /v1/log/key HTTP/1.1\r\nhost: x\r\n\r\n"] }),
      405,
      "REQUEST_METHOD_NOT_ALLOWED",
    );
  });
});

describe("requests Node's parser refuses are problem+json, and the connection closes", () => {
  it.each([
    { label: "a request line with no method", raw: "/v1/events HTTP/1.1\r\nhost: x\r\n\r\n", detail: /HTTP method/ },
    {
      label: "an unknown HTTP version",
      raw: "GET /healthz HTTP/9.9\r\nhost: x\r\n\r\n",
      detail: /HTTP\/1\.0 or HTTP\/1\.1/,
    },
    {
      label: "a control character in the request target",
      raw: "GET /he\u0001lthz HTTP/1.1\r\nhost: x\r\n\r\n",
      detail: /URL path/,
    },
    { label: "NUL in a header value", raw: "GET /healthz HTTP/1.1\r\nhost: x\r\nx-a: a\u0000b\r\n\r\n", detail: /NUL/ },
    {
      label: "a space before a header's colon",
      raw: "GET /healthz HTTP/1.1\r\nhost : x\r\n\r\n",
      detail: /header name/,
    },
  ])("$label: 400", async ({ raw, detail }) => {
    const problem = expectProblem(await unwritten({ pieces: [Buffer.from(raw, "latin1")] }), 400, "REQUEST_INVALID");
    expect(problem.detail).toMatch(detail);
  });

  it("Transfer-Encoding together with Content-Length: 400, the event not written", async () => {
    const body = event();
    const head = ingestHead({ "content-length": String(body.length), "transfer-encoding": "chunked" });
    const chunked = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
    const problem = expectProblem(await unwritten({ pieces: [head + chunked] }), 400, "REQUEST_INVALID");
    expect(problem.detail).toMatch(/both Transfer-Encoding and Content-Length/);
  });

  it("Content-Length twice: 400, the event not written", async () => {
    const body = event();
    const head = ingestHead({ "content-length": String(body.length) }).replace(
      "\r\n\r\n",
      `\r\ncontent-length: ${body.length + 1}\r\n\r\n`,
    );
    const problem = expectProblem(await unwritten({ pieces: [head + body] }), 400, "REQUEST_INVALID");
    expect(problem.detail).toMatch(/Content-Length is given twice/);
  });

  it("a chunk size that is not hexadecimal: 400, the event not written", async () => {
    const head = ingestHead({ "transfer-encoding": "chunked", connection: "close" });
    const problem = expectProblem(
      await unwritten({ pieces: [`${head}zz\r\n${event()}\r\n0\r\n\r\n`] }),
      400,
      "REQUEST_INVALID",
    );
    expect(problem.detail).toMatch(/chunk size/);
  });

  it("headers over the limit: 431", async () => {
    const raw = `GET /healthz HTTP/1.1\r\nhost: x\r\nx-big: ${"a".repeat(20_000)}\r\n\r\n`;
    expectProblem(await unwritten({ pieces: [raw] }), 431, "REQUEST_HEADERS_TOO_LARGE");
  });

  it("a well-formed request on the same server still works", async () => {
    const res = await rawExchange(port, { pieces: [rawRequest("GET", "/healthz", {})] });
    expect(res.status).toBe(200);
  });
});

describe("slow clients are cut off at the configured limits", () => {
  it("headers sent a byte at a time are answered 408 once the headers limit passes", async () => {
    const res = await unwritten({ pieces: piecesOf(ingestHead({ "content-length": "2" })), gapMs: 50 });
    const problem = expectProblem(res, 408, "REQUEST_TIMEOUT");
    expect(problem.detail).toContain(`${HEADERS_TIMEOUT_MS} ms`);
    // Node checks its limits on an interval of a quarter of the smallest one.
    expect(res.closedAfterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
    expect(res.closedAfterMs).toBeLessThan(HEADERS_TIMEOUT_MS + 1000);
  });

  it("a body trickled a byte at a time is answered 408 once the request limit passes, and not written", async () => {
    const body = event();
    const res = await unwritten({
      pieces: [ingestHead({ "content-length": String(body.length) }), ...piecesOf(body)],
      gapMs: 40,
    });
    expectProblem(res, 408, "REQUEST_TIMEOUT");
    expect(res.closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(res.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 1000);
  });

  it("a connection that sends nothing is closed once the headers limit passes", async () => {
    const res = await unwritten({ pieces: [] });
    expect(res.closedAfterMs).toBeLessThan(HEADERS_TIMEOUT_MS + 1000);
    // Node counts it as a request whose headers never came.
    expectProblem(res, 408, "REQUEST_TIMEOUT");
  });

  it("an idle keep-alive connection is closed after the keep-alive limit", async () => {
    const res = await rawExchange(port, { pieces: [rawRequest("GET", "/healthz", { connection: "keep-alive" })] });
    expect(res.status).toBe(200);
    expect(res.headers["keep-alive"]).toBe(`timeout=${Math.floor(KEEP_ALIVE_TIMEOUT_MS / 1000)}`);
    // Node closes it up to a second after the advertised timeout.
    expect(res.closedAfterMs).toBeLessThan(KEEP_ALIVE_TIMEOUT_MS + 1500);
  });
});

describe("query values and paths that used to reach a 500 or a wait", () => {
  it.each(["Infinity", "1e309", "-Infinity", "0x10", "1e1", "7.5"])("days=%s: 400 naming the parameter", async (v) => {
    const res = await f.request("GET", `/v1/automations?days=${v}`, f.acme.viewer);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      problems: [{ pointer: "/querystring/days", message: "must be a decimal integer" }],
    });
  });

  it("a min_index beyond the log: 400 at once, not a 503 after waiting", async () => {
    const started = Date.now();
    const res = await f.request("GET", "/v1/events?min_index=99999999", f.acme.viewer);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: "SEARCH_QUERY_INVALID",
      problems: [{ pointer: "/querystring/min_index" }],
    });
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it("a path the static file server refuses: 404, not a 500", async () => {
    const res = await f.request("GET", "/docs/static/....//....//");
    expect(res.statusCode).toBe(404);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  });
});
