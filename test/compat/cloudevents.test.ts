// CloudEvents 1.0 against a real server: the official `cloudevents` SDK's
// emitter (10.0.0), unchanged, in binary and structured mode, and raw fetches
// for what it does not send (batch mode, a non-CloudEvent, a refused batch).
// The emitter drops the answer's status, so every outcome is read back
// through GET /v1/events with an auditor key, and statuses through fetch.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CloudEvent, emitterFor, httpTransport, Mode } from "cloudevents";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiFixture } from "../api/api-fixture.js";
import { type CompatServer, startCompatServer } from "./compat-fixture.js";

let s: CompatServer;
let f: ApiFixture;
let sink: string;

beforeAll(async () => {
  s = await startCompatServer({ acceptUnknownActions: ["acme", "globex"] });
  f = s.f;
  sink = new URL("/v1/cloudevents", s.base).href;
}, 60_000);
afterAll(async () => {
  await f?.close();
});

const eventsOf = (action: string, key = f.acme.auditor) => s.events({ action }, key);

const invoiceEvent = (id: string, type: string, extra: Record<string, unknown> = {}) =>
  new CloudEvent({
    id,
    type,
    source: "urn:app:billing",
    time: "2026-11-21T08:09:10.111Z",
    subject: "invoice/42",
    tenant: "acme",
    actorid: "usr_bob",
    data: {
      actor: { type: "user", id: "usr_alice", name: "Alice" },
      outcome: "success",
      message: "Alice paid invoice 42",
      context: { ip: "192.0.2.10", user_agent: "billing-worker/3", tier: "gold" },
      amount: 42,
    },
    ...extra,
  });

const headers = (key = f.acme.ingest) => ({ authorization: `Bearer ${key}` });

describe("the official emitter", () => {
  it("binary mode: one event, mapped from type, subject, data and extensions", async () => {
    await emitterFor(httpTransport(sink))(invoiceEvent("evt-bin-1", "com.example.invoice.paid"), {
      headers: headers(),
    });
    const [event, ...more] = await eventsOf("com.example.invoice.paid");
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      action: "com.example.invoice.paid",
      kind: "execute",
      occurred_at: "2026-11-21T08:09:10.111Z",
      actor: { type: "user", id: "usr_alice", name: "Alice" },
      target: { type: "invoice", id: "42" },
      outcome: { status: "success" },
      message: "Alice paid invoice 42",
      context: { ip: "192.0.2.10", user_agent: "billing-worker/3" },
      metadata: {
        amount: 42,
        context: { tier: "gold" },
        cloudevents: {
          id: "evt-bin-1",
          source: "urn:app:billing",
          type: "com.example.invoice.paid",
          subject: "invoice/42",
          specversion: "1.0",
          // data.actor won over the actorid extension, which is kept.
          extensions: { actorid: "usr_bob" },
        },
      },
    });
    expect(event?.id).toMatch(/^ce-[0-9a-f]{32}$/);
  });

  it("structured mode: the same mapping; the tenant extension picks the tenant", async () => {
    const emit = emitterFor(httpTransport(sink), { mode: Mode.STRUCTURED });
    const ce = invoiceEvent("evt-str-1", "com.example.Invoice-Refunded", { tenant: "globex" });
    await emit(ce, { headers: headers(f.globex.ingest) });
    const [event] = await eventsOf("com.example.invoice_refunded", f.globex.auditor);
    expect(event).toMatchObject({
      actor: { id: "usr_alice" },
      target: { type: "invoice", id: "42" },
      metadata: { cloudevents: { type: "com.example.Invoice-Refunded", id: "evt-str-1" } },
    });
    expect(await eventsOf("com.example.invoice_refunded")).toEqual([]);
  });

  it("a redelivery (same source and id) stays one event, in either mode", async () => {
    const ce = invoiceEvent("evt-redo-1", "com.example.invoice.redelivered");
    await emitterFor(httpTransport(sink))(ce, { headers: headers() });
    await emitterFor(httpTransport(sink))(ce, { headers: headers() });
    await emitterFor(httpTransport(sink), { mode: Mode.STRUCTURED })(ce, { headers: headers() });
    expect(await eventsOf("com.example.invoice.redelivered")).toHaveLength(1);
    // Another source with the same id is another event.
    await emitterFor(httpTransport(sink))(ce.cloneWith({ source: "urn:app:other" }), { headers: headers() });
    expect(await eventsOf("com.example.invoice.redelivered")).toHaveLength(2);
  });

  it("binary mode with a string payload and extensions only: actor and target from the extensions and subject", async () => {
    const ce = new CloudEvent({
      id: "evt-str-payload",
      type: "com.example.door.opened",
      source: "urn:door:7",
      time: "2026-11-21T09:00:00Z",
      subject: "door",
      actorid: "badge_17",
      actortype: "service_account",
      ip: "198.51.100.4",
      datacontenttype: "text/plain",
      data: "door 7 opened",
    });
    await emitterFor(httpTransport(sink))(ce, { headers: headers() });
    const [event] = await eventsOf("com.example.door.opened");
    expect(event).toMatchObject({
      kind: "read",
      actor: { type: "service_account", id: "badge_17" },
      target: { type: "subject", id: "door" },
      context: { ip: "198.51.100.4" },
      metadata: { cloudevents: { data: "door 7 opened", datacontenttype: "text/plain" } },
    });
  });
});

describe("raw requests", () => {
  const post = (body: string, contentType: string, extra: Record<string, string> = {}, key = f.acme.ingest) =>
    fetch(sink, { method: "POST", headers: { ...headers(key), "content-type": contentType, ...extra }, body });
  const golden = readFileSync(join(import.meta.dirname, "../fixtures/compat/cloudevents/batch.json"), "utf8");

  it("batch mode stores every event and answers 202 with no body; resent, nothing new", async () => {
    const res = await post(golden, "application/cloudevents-batch+json");
    expect(res.status).toBe(202);
    expect(await res.text()).toBe("");
    const [created] = await eventsOf("com.example.project.created");
    const [deleted] = await eventsOf("com.example.project.deleted");
    expect(created).toMatchObject({
      kind: "create",
      actor: { type: "user", id: "usr_carol" },
      target: { type: "project", id: "prj_5" },
      context: { trace_id: "4bf92f3577b34da6a3ce929d0e0e4736", span_id: "00f067aa0ba902b7" },
    });
    expect(deleted).toMatchObject({
      kind: "delete",
      actor: { type: "system", id: "urn:app:projects" },
      outcome: { status: "failure", reason: "locked" },
    });
    await f.settled();
    const before = await f.data.ledger.treeSize("acme");
    expect((await post(golden, "application/cloudevents-batch+json")).status).toBe(202);
    expect(await f.data.ledger.treeSize("acme")).toBe(before);
  });

  it("an event sent without time is stored once, at its first arrival, however often it is redelivered", async () => {
    const ce = JSON.stringify({ specversion: "1.0", id: "no-time-1", source: "urn:cron", type: "com.example.job.ran" });
    expect((await post(ce, "application/cloudevents+json")).status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await post(ce, "application/cloudevents+json; charset=utf-8")).status).toBe(202);
    const events = await eventsOf("com.example.job.ran");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: "execute", metadata: { cloudevents: { received_without_time: true } } });
  });

  it("refuses a batch with one invalid event whole: 400 problem+json, nothing written", async () => {
    const batch = JSON.parse(golden) as Record<string, unknown>[];
    batch[0] = { ...batch[0], id: "fresh-1" };
    batch[1] = { ...batch[1], id: "fresh-2", kind: "bogus" };
    await f.settled();
    const before = await f.data.ledger.treeSize("acme");
    const res = await post(JSON.stringify(batch), "application/cloudevents-batch+json");
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const problem = (await res.json()) as { code: string; problems: { pointer: string }[] };
    expect(problem.code).toBe("EVENT_INVALID");
    expect(problem.problems.map((p) => p.pointer)).toEqual(["/1/kind"]);
    expect(await f.data.ledger.treeSize("acme")).toBe(before);
  });

  it.each([
    ["plain JSON without ce-* headers", '{"hello":"world"}', "application/json", {}],
    [
      "a structured event without a source",
      '{"id":"x","type":"a.b","specversion":"1.0"}',
      "application/cloudevents+json",
      {},
    ],
    ["specversion 0.3", '{"id":"x","type":"a.b","source":"s","specversion":"0.3"}', "application/cloudevents+json", {}],
    [
      "binary mode with a bad time",
      "{}",
      "application/json",
      { "ce-id": "x", "ce-source": "s", "ce-type": "a.b", "ce-specversion": "1.0", "ce-time": "yesterday" },
    ],
  ])("answers %s with 400 and writes nothing", async (_name, body, type, extra) => {
    await f.settled();
    const before = await f.data.ledger.treeSize("acme");
    const res = await post(body, type, extra);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe("REQUEST_INVALID");
    expect(await f.data.ledger.treeSize("acme")).toBe(before);
  });

  it("refuses a tenant the key does not belong to with 403, and a bad key with 401", async () => {
    const ce = JSON.stringify({ ...JSON.parse(golden)[0], id: "foreign-1", tenant: "globex" });
    expect((await post(ce, "application/cloudevents+json")).status).toBe(403);
    expect((await post(golden, "application/cloudevents-batch+json", {}, "tpk_wrong")).status).toBe(401);
  });
});
