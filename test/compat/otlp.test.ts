// OpenTelemetry logs over OTLP/HTTP against a real server: the official JSON
// and protobuf exporters (@opentelemetry/exporter-logs-otlp-http and -proto
// 0.223.1, sdk-logs 0.223.1, api 1.9.1), unchanged, with gzip, with
// OTEL_EXPORTER_OTLP_ENDPOINT, and through a proxy that loses the first
// answer so the exporter retries; plus raw requests for what exporters do not
// send (a golden JSON export, partial success, malformed bodies). Everything
// is read back through GET /v1/events with an auditor key.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import protobuf from "protobufjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeExportResponse, decodeStatus } from "../../apps/server/src/compat/otlp/otlp-proto.js";
import type { ApiFixture } from "../api/api-fixture.js";
import { type CompatServer, type FaultyProxy, startCompatServer, startFaultyProxy } from "./compat-fixture.js";

let s: CompatServer;
let f: ApiFixture;
let base: string;

beforeAll(async () => {
  s = await startCompatServer({ acceptUnknownActions: ["acme", "globex"] });
  f = s.f;
  base = s.base.origin;
}, 60_000);
afterAll(async () => {
  await f?.close();
});

/** Every event of `action` in acme (or `key`'s tenant), as an auditor reads it (personal values shown). */
const eventsOf = (action: string, key = f.acme.auditor) => s.events({ action }, key);

const EMIT = join(import.meta.dirname, "../fixtures/compat/otlp/emit-logs.cjs");

/**
 * Emits `records` with the official SDK and `exporter` in a child process
 * (emit-logs.cjs says why), which exits once shutdown has flushed the exports.
 */
function emit(
  exporter: "http" | "proto",
  options: Record<string, unknown>,
  records: Record<string, unknown>[],
  env: Record<string, string> = {},
): Promise<void> {
  const input = JSON.stringify({ exporter, options, resource: { "service.name": "billing-api" }, records });
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [EMIT], { env: { ...process.env, ...env }, timeout: 20_000 }, (err) =>
      err ? reject(err) : resolve(),
    );
    child.stdin?.end(input);
  });
}

const when = "2026-11-20T10:11:12.345Z";

function invoiceRecord(action: string, extra: Record<string, unknown> = {}) {
  return {
    eventName: action,
    timestamp: when,
    severityNumber: 9,
    severityText: "INFO",
    body: "Alice created invoice 42",
    attributes: {
      "user.id": "usr_alice",
      "user.name": "Alice",
      "client.address": "10.1.2.3",
      "user_agent.original": "Mozilla/5.0 (X11)",
      "session.id": "sess_1",
      "tenant.id": "acme",
      "audit.target.type": "invoice",
      "audit.target.id": "inv_42",
      amount: 100,
      nested: { plan: "pro", seats: 3 },
      ...extra,
    },
  };
}

describe("the official JSON exporter", () => {
  it("stores one event per log record, mapped from the semantic-convention attributes", async () => {
    await emit("http", { url: `${base}/v1/logs`, headers: { Authorization: `Bearer ${f.acme.ingest}` } }, [
      invoiceRecord("invoice.created"),
    ]);
    const [event, ...more] = await eventsOf("invoice.created");
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      action: "invoice.created",
      kind: "create",
      category: "data",
      occurred_at: "2026-11-20T10:11:12.345Z",
      actor: { type: "user", id: "usr_alice", name: "Alice" },
      target: { type: "invoice", id: "inv_42" },
      outcome: { status: "success" },
      message: "Alice created invoice 42",
      context: { ip: "10.1.2.3", user_agent: "Mozilla/5.0 (X11)", session_id: "sess_1" },
      metadata: {
        amount: 100,
        nested: { plan: "pro", seats: 3 },
        otlp: {
          resource: { "service.name": "billing-api" },
          scope: { name: "audit", version: "1.0.0" },
          severity_number: 9,
          severity_text: "INFO",
        },
      },
    });
    expect(event?.id).toMatch(/^otlp-[0-9a-f]{32}$/);
    // Consumed attributes are in the envelope, not repeated in metadata.
    expect(Object.keys(event?.metadata as object).sort()).toEqual(["amount", "nested", "otlp"]);
  });

  it("sends gzip (compression: 'gzip') to the same effect", async () => {
    const options = {
      url: `${base}/v1/logs`,
      headers: { Authorization: `Bearer ${f.acme.ingest}` },
      compression: "gzip",
    };
    await emit("http", options, [invoiceRecord("invoice.gzipped")]);
    const events = await eventsOf("invoice.gzipped");
    expect(events.map((e) => (e.actor as { id: string }).id)).toEqual(["usr_alice"]);
  });

  it("finds /v1/logs from OTEL_EXPORTER_OTLP_ENDPOINT, with the tenant in an X-Tenant header", async () => {
    await emit("http", {}, [invoiceRecord("invoice.from_env", { "tenant.id": undefined })], {
      OTEL_EXPORTER_OTLP_ENDPOINT: base,
      OTEL_EXPORTER_OTLP_HEADERS: `Authorization=Bearer ${f.globex.ingest},X-Tenant=globex`,
    });
    expect(await eventsOf("invoice.from_env", f.globex.auditor)).toHaveLength(1);
    expect(await eventsOf("invoice.from_env")).toHaveLength(0);
  });

  it("stores nothing for a bad token, and answers it 401 with a JSON Status", async () => {
    await f.settled();
    const before = await f.data.ledger.treeSize("acme");
    await emit("http", { url: `${base}/v1/logs`, headers: { Authorization: "Bearer tpk_wrong" } }, [
      invoiceRecord("invoice.bad_token"),
    ]);
    expect(await f.data.ledger.treeSize("acme")).toBe(before);
    expect(await eventsOf("invoice.bad_token")).toEqual([]);
    const res = await fetch(`${base}/v1/logs`, {
      method: "POST",
      headers: { authorization: "Bearer tpk_wrong", "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ code: 16, message: expect.stringMatching(/^AUTH_INVALID: /) });
  });
});

describe("the official protobuf exporter", () => {
  it("is decoded by the endpoint's descriptor: every field arrives", async () => {
    await emit("proto", { url: `${base}/v1/logs`, headers: { Authorization: `Bearer ${f.acme.ingest}` } }, [
      invoiceRecord("invoice.proto", {
        "event.id": "proto-evt-1",
        big: 2 ** 40,
        ratio: 0.5,
        ok: true,
        tags: ["a", "b"],
      }),
    ]);
    const [event, ...more] = await eventsOf("invoice.proto");
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      id: "proto-evt-1",
      occurred_at: "2026-11-20T10:11:12.345Z",
      actor: { type: "user", id: "usr_alice", name: "Alice" },
      target: { type: "invoice", id: "inv_42" },
      message: "Alice created invoice 42",
      context: { ip: "10.1.2.3", session_id: "sess_1" },
      metadata: {
        amount: 100,
        big: 2 ** 40,
        ratio: 0.5,
        ok: true,
        tags: ["a", "b"],
        nested: { plan: "pro", seats: 3 },
        otlp: { resource: { "service.name": "billing-api" }, scope: { name: "audit", version: "1.0.0" } },
      },
    });
  });

  it("answers protobuf with a protobuf ExportLogsServiceResponse counting refused records", async () => {
    // A request the proto exporter would send, built with protobufjs from the same field numbers.
    const root = protobuf.parse(`
      syntax = "proto3";
      message AnyValue { oneof value { string string_value = 1; } }
      message KeyValue { string key = 1; AnyValue value = 2; }
      message LogRecord { fixed64 time_unix_nano = 1; repeated KeyValue attributes = 6; string event_name = 12; }
      message ScopeLogs { repeated LogRecord log_records = 2; }
      message ResourceLogs { repeated ScopeLogs scope_logs = 2; }
      message Req { repeated ResourceLogs resource_logs = 1; }`).root;
    const Req = root.lookupType("Req");
    const ns = "1795000000000000000";
    const body = Req.encode(
      Req.fromObject({
        resourceLogs: [
          {
            scopeLogs: [
              {
                logRecords: [
                  { timeUnixNano: ns, eventName: "invoice.proto_partial", attributes: [] },
                  { timeUnixNano: ns, attributes: [{ key: "user.id", value: { stringValue: "u" } }] },
                ],
              },
            ],
          },
        ],
      }),
    ).finish();
    const res = await fetch(`${base}/v1/logs`, {
      method: "POST",
      headers: { authorization: `Bearer ${f.acme.ingest}`, "content-type": "application/x-protobuf" },
      body,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-protobuf");
    const answer = decodeExportResponse(new Uint8Array(await res.arrayBuffer()));
    expect(answer.partialSuccess?.rejectedLogRecords).toBe("1");
    expect(answer.partialSuccess?.errorMessage).toMatch(/logRecords\/1 has no action/);
    expect(await eventsOf("invoice.proto_partial")).toHaveLength(1);
  });

  it("answers a malformed protobuf body 400 with a protobuf Status", async () => {
    const res = await fetch(`${base}/v1/logs`, {
      method: "POST",
      headers: { authorization: `Bearer ${f.acme.ingest}`, "content-type": "application/x-protobuf" },
      body: new Uint8Array([0x0a, 0xff, 0xff, 0x01]),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/x-protobuf");
    expect(decodeStatus(new Uint8Array(await res.arrayBuffer()))).toMatchObject({
      code: 3,
      message: expect.stringMatching(/^REQUEST_INVALID: /),
    });
  });
});

describe("retries", () => {
  let proxy: FaultyProxy;
  let requests = 0;

  /** Forwards every request to the server; the first one's answer is lost and replaced by a 503. */
  beforeAll(async () => {
    proxy = await startFaultyProxy(s.base, (_req, n) => {
      requests = n;
      return n === 1 ? { forward: true, status: 503, headers: { "retry-after": "0" } } : undefined;
    });
  });
  afterAll(() => proxy.close());

  it("stores exactly one event per emitted log when the exporter resends a batch the server already stored", async () => {
    const options = { url: new URL("/v1/logs", proxy.url).href, headers: { Authorization: `Bearer ${f.acme.ingest}` } };
    await emit("http", options, [
      invoiceRecord("invoice.retried", { "audit.target.id": "inv_1" }),
      invoiceRecord("invoice.retried", { "audit.target.id": "inv_2" }),
    ]);
    expect(requests).toBeGreaterThanOrEqual(3);
    const events = await eventsOf("invoice.retried");
    expect(events.map((e) => (e.target as { id: string }).id).sort()).toEqual(["inv_1", "inv_2"]);
  }, 20_000);
});

describe("raw OTLP/JSON", () => {
  const post = (body: string | Buffer, headers: Record<string, string> = {}, key = f.acme.ingest) =>
    fetch(`${base}/v1/logs`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
      body,
    });
  const golden = readFileSync(join(import.meta.dirname, "../fixtures/compat/otlp/export-logs.json"), "utf8");

  it("maps a golden export: int64 as strings, bytes, arrays, kvlists, trace context, a failed record", async () => {
    const res = await post(gzipSync(golden), { "content-encoding": "gzip" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({});
    const [approved] = await eventsOf("payment.approved");
    expect(approved).toMatchObject({
      occurred_at: "2026-11-01T09:04:05.123Z",
      kind: "execute",
      actor: { type: "user", id: "usr_grace", name: "Grace Hopper" },
      target: { type: "payment", id: "pay_77" },
      context: {
        ip: "2001:db8::7",
        user_agent: "curl/8.5.0",
        session_id: "sess_9",
        environment: "staging",
        trace_id: "5b8efff798038103d269b633813fc60c",
        span_id: "eee19b7ec3c1b174",
      },
      metadata: {
        amount: "9007199254740993",
        fee: 12,
        rate: 0.25,
        manual: false,
        labels: ["q4", 3],
        approver: { level: 2 },
        signature: "3q2+7w==",
        nothing: null,
        otlp: { flags: 1, scope: { name: "audit-trail", version: "2.4.0" } },
      },
    });
    const reversal = await f.request("GET", "/v1/events/rev-1", f.acme.auditor);
    expect(reversal.json().event).toMatchObject({
      action: "payment.reversal_failed",
      occurred_at: "2026-11-01T09:04:06.000Z",
      actor: { type: "system", id: "ledger-api" },
      outcome: { status: "failure" },
      metadata: { otlp: { action: "Payment.Reversal-Failed", body: { code: "E42" }, severity_number: 17 } },
    });
  });

  it("answers a resent golden export with nothing new", async () => {
    const before = await f.data.ledger.treeSize("acme");
    expect((await post(golden)).status).toBe(200);
    expect(await f.data.ledger.treeSize("acme")).toBe(before);
  });

  it("keeps the valid records and counts the refused ones in partialSuccess", async () => {
    const record = (action: string, extra: object = {}) => ({
      timeUnixNano: "1795000000000000000",
      eventName: action,
      attributes: [{ key: "user.id", value: { stringValue: "u1" } }],
      ...extra,
    });
    const body = {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                record("invoice.partial_ok"),
                record("apikey.revoke"),
                record("invoice.partial_bad", { attributes: [{ key: "audit.kind", value: { stringValue: "bogus" } }] }),
                record("invoice.partial_nots", { timeUnixNano: "0" }),
              ],
            },
          ],
        },
      ],
    };
    const res = await post(JSON.stringify(body));
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { partialSuccess: { rejectedLogRecords: string; errorMessage: string } };
    expect(answer.partialSuccess.rejectedLogRecords).toBe("3");
    expect(answer.partialSuccess.errorMessage).toMatch(/logRecords\/2 was refused: \/kind/);
    expect(await eventsOf("invoice.partial_ok")).toHaveLength(1);
    expect(await eventsOf("invoice.partial_bad")).toHaveLength(0);
  });

  it("keeps a record with oversized attributes, leaving the largest out of metadata and naming them", async () => {
    const attribute = (key: string, value: string) => ({ key, value: { stringValue: value } });
    const record = {
      timeUnixNano: "1795000000000000000",
      eventName: "invoice.oversized",
      attributes: [attribute("user.id", "u1"), attribute("small", "kept"), attribute("huge", "x".repeat(20_000))],
    };
    const res = await post(JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [record] }] }] }));
    expect(await res.json()).toEqual({});
    const [event] = await eventsOf("invoice.oversized");
    expect(event?.metadata).toMatchObject({ small: "kept", otlp: { trimmed: ["huge"] } });
    expect(event?.metadata).not.toHaveProperty("huge");
  });

  it.each([
    ["not JSON", "{", 400, 3],
    ["resourceLogs not an array", '{"resourceLogs":{}}', 400, 3],
    [
      "a timestamp that is no integer",
      '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"soon"}]}]}]}',
      400,
      3,
    ],
  ])("refuses %s with 400 and writes nothing", async (_name, body, status, code) => {
    const before = await f.data.ledger.treeSize("acme");
    const res = await post(body);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { code: number }).code).toBe(code);
    expect(await f.data.ledger.treeSize("acme")).toBe(before);
  });

  it("refuses another media type with 415", async () => {
    const res = await post(golden, { "content-type": "text/plain" });
    expect(res.status).toBe(415);
  });

  it("refuses a tenant the key does not belong to with 403 and writes nothing of the request", async () => {
    const before = [await f.data.ledger.treeSize("acme"), await f.data.ledger.treeSize("globex")];
    const res = await post(
      golden.replace(
        '"tenant.id", "value": { "stringValue": "acme" }',
        '"tenant.id", "value": { "stringValue": "globex" }',
      ),
    );
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toMatch(/^TENANT_NOT_ALLOWED/);
    const res2 = await post(JSON.stringify({ resourceLogs: [] }), { "x-trailproof-tenant": "globex" });
    expect(res2.status).toBe(403);
    expect([await f.data.ledger.treeSize("acme"), await f.data.ledger.treeSize("globex")]).toEqual(before);
  });
});
