// OPA decision logs against a real server over HTTP. There is no OPA binary
// from npm, so the tests replay golden uploads (test/fixtures/compat/opa/),
// byte for byte as OPA's decision log plugin sends them: its headers, a gzip
// body framing a JSON array with "\n" after each element, nanosecond
// timestamps, masked and erased inputs. What was stored is read back through
// GET /v1/events/:id with an auditor key, and from the data directory's files.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ipOfRequestedBy } from "../../apps/server/src/compat/opa/requested-by.js";
import type { ApiFixture } from "../api/api-fixture.js";
import {
  type CompatServer,
  expectCompatPostsInOpenApi,
  filesUnder,
  replayGolden,
  startCompatServer,
} from "./compat-fixture.js";

const GOLDEN = join(import.meta.dirname, "../fixtures/compat/opa");

/** Sends a golden request as recorded: its method, path and headers, `{{KEY}}` and the others filled in. */
const replay = (base: URL, name: string, key: string, change: Parameters<typeof replayGolden>[3] = {}) =>
  replayGolden(base, join(GOLDEN, `${name}.request.json`), key, change);

/** The golden decisions (the uncompressed body), to build variants of. */
function goldenDecisions(name: string): Record<string, unknown>[] {
  return JSON.parse(readFileSync(join(GOLDEN, `${name}.body.json`), "utf8"));
}

/** A gzip upload framed as OPA's encoder frames it: "[", "," between, "\n" after each element, "]". */
function upload(decisions: readonly unknown[]): Buffer {
  return gzipSync(`${decisions.map((d, i) => `${i === 0 ? "[" : ","}${JSON.stringify(d)}\n`).join("")}]`);
}

let s: CompatServer;
let f: ApiFixture;
let base: URL;
const acmeSize = () => s.size("acme");
const sizes = async () => [await s.size("acme"), await s.size("globex")];

/** The stored event's metadata, as the OPA mapping shapes it. */
interface OpaMetadata {
  input?: unknown;
  opa: Record<string, unknown>;
}

const readBack = async (id: string) =>
  (await s.readBack(id)) as unknown as Record<string, unknown> & { metadata: OpaMetadata };

beforeAll(async () => {
  s = await startCompatServer();
  ({ f, base } = s);
}, 60_000);
afterAll(async () => {
  await f?.close();
});

describe("OPA decision logs, replayed golden uploads", () => {
  it("keeps the golden gzip body and its readable twin the same bytes", () => {
    const gz = readFileSync(join(GOLDEN, "upload-default.body.json.gz"));
    const text = readFileSync(join(GOLDEN, "upload-default.body.json"), "utf8");
    expect(gunzipSync(gz).toString("utf8")).toBe(text);
    expect(text.startsWith('[{"labels"')).toBe(true);
    expect(text.endsWith("}\n]")).toBe(true);
    expect(text.split("}\n,{").length).toBe(3);
  });

  it("answers OPA's upload to /opa/logs with 200, recording one event per decision", async () => {
    const before = await acmeSize();
    const res = await replay(base, "upload-default", f.acme.ingest);
    expect(res).toMatchObject({ status: 200, body: { created: 3, duplicate: 0 } });
    expect(res.type).toMatch(/^application\/json/);
    expect(await acmeSize()).toBe(before + 3);
  });

  it("maps an allow: policy path, bundle revision, decision, the actor from input.user, the caller's IPv6", async () => {
    const event = await readBack("opa-4ca636c1-55e4-417a-b1d8-4aceb67960d1");
    expect(event).toMatchObject({
      action: "policy.evaluate",
      action_version: 2,
      kind: "policy_evaluation",
      category: "governance",
      occurred_at: "2026-11-05T10:00:00.123Z",
      actor: { type: "user", id: "bob" },
      target: { type: "policy", id: "http/example/authz/allow" },
      outcome: { status: "success" },
      context: { ip: "::1", user_agent: "curl/8.5.0" },
    });
    expect(event.metadata).toMatchObject({
      phase: "runtime",
      policy_id: "http/example/authz/allow",
      policy_version: "W3sibCI6InN5cy9jYXRhbG9nIiwicyI6NDAzfV0=",
      decision: "allow",
      erased: ["/input/password"],
      masked: ["/input/ssn"],
      opa: {
        decision_id: "4ca636c1-55e4-417a-b1d8-4aceb67960d1",
        timestamp: "2026-11-05T10:00:00.123456789Z",
        requested_by: "[::1]:59943",
        req_id: 1,
        result: true,
        labels: { id: "5a1c0d7e-3b2f-4c8a-9e61-0f2d7b4a8c13", version: "1.22.3" },
      },
    });
  });

  it("keeps the values OPA masked or erased out, and never a captured Authorization header", async () => {
    const event = await readBack("opa-4ca636c1-55e4-417a-b1d8-4aceb67960d1");
    expect(event.metadata.input).toEqual({
      department: "payroll-QK4471",
      method: "GET",
      path: ["finance", "salary", "bob"],
      user: "bob",
    });
    expect(event.metadata.opa.request_headers).toEqual({ "User-Agent": ["curl/8.5.0"], "X-Request-Id": ["req-8812"] });
    const stored = filesUnder(f.dataDir);
    // The positive control: an unmasked input value is in the files as sent, so the searches below can fail.
    expect(stored.includes("payroll-QK4471")).toBe(true);
    expect(stored.includes("MASKED-7731-ZQXW")).toBe(false);
    expect(stored.includes("user-session-token-H7GK2P")).toBe(false);
  });

  it("maps a deny to outcome denied, with input.user's object, the IPv4 caller and the W3C trace", async () => {
    const event = await readBack("opa-b1b4a3f0-8c2e-4d1f-a9d7-3e5c6b7a8d90");
    expect(event).toMatchObject({
      occurred_at: "2026-11-05T10:00:01.500Z",
      actor: { type: "user", id: "mallory", name: "Mallory Mallet" },
      outcome: { status: "denied" },
      context: { ip: "10.1.2.3", trace_id: "4bf92f3577b34da6a3ce929d0e0e4736", span_id: "00f067aa0ba902b7" },
      metadata: { decision: "deny" },
    });
  });

  it("maps an evaluation error to outcome failure with OPA's error code", async () => {
    const event = await readBack("opa-e7d1c2b3-a4f5-4e6d-8c7b-9a0f1e2d3c4b");
    expect(event).toMatchObject({
      outcome: { status: "failure", reason: "eval_conflict_error" },
      actor: { type: "user", id: "carol" },
      metadata: { decision: "error", opa: { error: { code: "eval_conflict_error", location: { row: 12 } } } },
    });
    expect(event.metadata.opa.result).toBeUndefined();
  });

  it("answers a redelivered chunk 200 as duplicates and writes nothing more", async () => {
    const before = await acmeSize();
    const res = await replay(base, "upload-default", f.acme.ingest);
    expect(res).toMatchObject({ status: 200, body: { created: 0, duplicate: 3 } });
    expect(await acmeSize()).toBe(before);
  });

  it("records a partition's upload for labels.tenant, with every bundle's revision and the Envoy result", async () => {
    const res = await replay(base, "upload-partition", f.acme.ingest);
    expect(res).toMatchObject({ status: 200, body: { created: 1, duplicate: 0 } });
    const event = await readBack("opa-0d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a");
    expect(event).toMatchObject({
      occurred_at: "2026-11-05T10:05:00.000Z",
      actor: { type: "service_account", id: "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b" },
      outcome: { status: "denied" },
      metadata: {
        policy_version: "envoy@rev-2026.11.05,shared@7f3e2a1",
        decision: "deny",
        opa: { partition: "edge", timestamp: "2026-11-05T10:05:00.000000001Z" },
      },
    });
    expect(event.context).toBeUndefined();
  });

  it("names an ad-hoc query's decision by the query's hash, keeping its text", async () => {
    const [decision] = goldenDecisions("upload-default");
    const { path: _path, ...rest } = decision as Record<string, unknown>;
    const query = "x := data.http.example.authz.allow\ny := input.user";
    const asked = { ...rest, decision_id: "44444444-5555-4666-8777-888888888888", query, result: [{ x: true }] };
    const res = await replay(base, "upload-default", f.acme.ingest, { body: upload([asked]) });
    expect(res).toMatchObject({ status: 200, body: { created: 1 } });
    const event = await readBack("opa-44444444-5555-4666-8777-888888888888");
    const hash = createHash("sha256").update(query).digest("hex").slice(0, 32);
    expect(event).toMatchObject({ target: { type: "policy", id: `query:${hash}` }, outcome: { status: "success" } });
    expect(event.metadata).toMatchObject({ policy_id: `query:${hash}`, decision: "result", opa: { query } });
  });

  it("refuses a tenant the key may not append to, by label or header, and writes nothing", async () => {
    const [decision] = goldenDecisions("upload-default");
    const fresh: Record<string, unknown> = { ...decision, decision_id: "11111111-2222-4333-8444-555555555555" };
    const before = await sizes();
    const byHeader = await replay(base, "upload-default", f.acme.ingest, {
      body: upload([fresh]),
      headers: { "X-Trailproof-Tenant": "globex" },
    });
    expect(byHeader.status).toBe(403);
    expect(byHeader.body.code).toBe("TENANT_NOT_ALLOWED");
    const byLabel = await replay(base, "upload-default", f.acme.ingest, {
      body: upload([{ ...fresh, labels: { ...(fresh.labels as object), tenant: "globex" } }]),
    });
    expect(byLabel.status).toBe(403);
    // X-Tenant is read when X-Trailproof-Tenant is absent, as on every compat endpoint (docs/compat.md).
    const byAlias = await replay(base, "upload-default", f.acme.ingest, {
      body: upload([fresh]),
      headers: { "X-Tenant": "globex" },
    });
    expect(byAlias.status).toBe(403);
    expect(byAlias.body.code).toBe("TENANT_NOT_ALLOWED");
    expect(await sizes()).toEqual(before);
  });

  it("refuses the whole upload with 400 problem+json when one decision maps to an invalid event", async () => {
    const [a, b] = goldenDecisions("upload-default");
    const good = { ...a, decision_id: "22222222-3333-4444-8555-666666666666" };
    const bad = { ...b, decision_id: "33333333-4444-4555-8666-777777777777", timestamp: "2026-11-05 10:00" };
    const before = await acmeSize();
    const res = await replay(base, "upload-default", f.acme.ingest, { body: upload([good, bad]) });
    expect(res.status).toBe(400);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe("EVENT_INVALID");
    expect((res.body.problems as { pointer: string }[]).map((p) => p.pointer)).toContain("/1/occurred_at");
    expect(await acmeSize()).toBe(before);
    const absent = await f.request("GET", "/v1/events/opa-22222222-3333-4444-8555-666666666666", f.acme.auditor);
    expect(absent.statusCode).toBe(404);
  });

  it("refuses malformed bodies with 400 and writes nothing", async () => {
    const before = await acmeSize();
    const notGzip = await replay(base, "upload-default", f.acme.ingest, { body: Buffer.from("[{}]") });
    expect(notGzip.status).toBe(400);
    expect(notGzip.body.code).toBe("REQUEST_INVALID");
    const notJson = await replay(base, "upload-default", f.acme.ingest, { body: gzipSync("[{decision_id: 1}\n]") });
    expect(notJson.status).toBe(400);
    expect(notJson.body.code).toBe("REQUEST_MALFORMED_JSON");
    const notDecisions = await replay(base, "upload-default", f.acme.ingest, {
      body: upload([{ decision_id: 7, path: "x" }]),
    });
    expect(notDecisions.status).toBe(400);
    expect(notDecisions.body.code).toBe("REQUEST_INVALID");
    expect((notDecisions.body.problems as { pointer: string }[]).map((p) => p.pointer)).toEqual([
      "/0/decision_id",
      "/0/timestamp",
    ]);
    const notArray = await replay(base, "upload-default", f.acme.ingest, { body: gzipSync('{"decision_id":"x"}') });
    expect(notArray.status).toBe(400);
    expect(await acmeSize()).toBe(before);
  });

  it("is in the OpenAPI document, tagged compat, behind the bearer scheme", async () => {
    await expectCompatPostsInOpenApi(f, ["/opa/logs", "/opa/logs/{partition}"]);
  });

  it("refuses a wrong key with 401 and writes nothing", async () => {
    const before = await sizes();
    const res = await replay(base, "upload-default", "tpk_not_a_real_key");
    expect(res.status).toBe(401);
    expect(res.type).toMatch(/^application\/problem\+json/);
    const viewer = await replay(base, "upload-default", f.acme.viewer);
    expect(viewer.status).toBe(403);
    expect(await sizes()).toEqual(before);
  });
});

describe("requested_by", () => {
  it("yields the caller's IP from ip:port and [ipv6]:port, and nothing from anything else", () => {
    expect(ipOfRequestedBy("[::1]:59943")).toBe("::1");
    expect(ipOfRequestedBy("10.1.2.3:51234")).toBe("10.1.2.3");
    expect(ipOfRequestedBy("[fe80::1%eth0]:8181")).toBe("fe80::1");
    expect(ipOfRequestedBy("192.0.2.7")).toBe("192.0.2.7");
    expect(ipOfRequestedBy("opa.internal:8181")).toBeUndefined();
    expect(ipOfRequestedBy("[10.0.0.1]:80")).toBeUndefined();
    expect(ipOfRequestedBy(undefined)).toBeUndefined();
  });
});
