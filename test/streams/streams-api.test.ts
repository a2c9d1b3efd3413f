// Streams over real HTTP on a real data directory, to a real webhook
// receiver: every problem of a bad definition listed and nothing stored;
// the lifecycle (create, pause, resume, rotate, delete), each change an event
// in the log that holds no secret; what a paused stream misses is sent on
// resume with its prev_index chain whole; health; and personal data: dropped
// by default, pseudonymised on request, an erased value never sent.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiFixture, buildApiFixture } from "../api/api-fixture.js";
import { eraseAsTheService } from "../erase-subject.js";
import { until, verifySignature, WebhookReceiver } from "../notify/webhook-receiver.js";
import { sendJson } from "../send-json.js";

let f: ApiFixture;
let app: FastifyInstance;
let base: string;
const receiver = new WebhookReceiver();

beforeAll(async () => {
  f = await buildApiFixture({
    acmeEvents: 2,
    config: { streamTickMs: 200, streamBackoffBaseMs: 50, streamBackoffCapMs: 300, selfCheckIntervalMs: 0 },
  });
  await f.app.close();
  app = await f.appWith({});
  await app.listen({ host: "127.0.0.1", port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  await receiver.start();
});
afterAll(async () => {
  await receiver.stop();
  await app?.close();
  await f?.close();
});

async function call(method: string, path: string, key: string, body?: unknown) {
  const res = await sendJson(method, `${base}${path}`, key, body);
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: answers are read loosely here; their shapes are asserted
  return { status: res.status, text, json: () => JSON.parse(text) as Record<string, any> };
}

interface Line {
  origin: string;
  index: number;
  prev_index: number | null;
  stream: string;
  event_id: string;
  // biome-ignore lint/suspicious/noExplicitAny: the event is read loosely; its fields are asserted
  event: Record<string, any>;
}

/** Every NDJSON line the receiver got for `streamId`, with each batch's signature checked under `secrets`. */
function linesOf(streamId: string, secrets: string[]): Line[] {
  const out: Line[] = [];
  for (const r of receiver.received) {
    if (r.headers["trailproof-stream"] !== streamId) continue;
    const signed = String(r.headers["trailproof-signature"]);
    expect(
      secrets.some((s) => verifySignature(s, signed, r.body)),
      "every batch is signed with a secret the stream had",
    ).toBe(true);
    for (const line of r.body.split("\n")) if (line !== "") out.push(JSON.parse(line) as Line);
  }
  return out;
}

function logins(n: number, from: number, who = "usr_ada") {
  return Array.from({ length: n }, (_, k) => ({
    id: `evt_login_${who.slice(4, 5)}${from + k}`,
    action: "user.login",
    occurred_at: new Date().toISOString(),
    actor: { type: "user", id: who, name: "Ada Lovelace" },
    target: { type: "session", id: `ses_${from + k}` },
    outcome: { status: "success" },
    context: { ip: "203.0.113.9" },
    metadata: { email: "ada@example.com" },
  }));
}

async function ingest(events: unknown[]): Promise<void> {
  const res = await call("POST", "/v1/events", f.acme.ingest, { events });
  expect(res.status, res.text).toBeLessThan(300);
}

async function create(body: Record<string, unknown>) {
  const res = await call("POST", "/v1/streams", f.acme.admin, {
    name: "siem",
    destination: { type: "webhook", url: receiver.url },
    filter: "action:user.login",
    ...body,
  });
  expect(res.status, res.text).toBe(201);
  return res.json() as { stream: { id: string }; secret: string };
}

describe("streams over HTTP", () => {
  it("lists every problem of a bad definition and stores nothing", async () => {
    const bad = await call("POST", "/v1/streams", f.acme.admin, {
      name: "bad",
      destination: { type: "webhook", url: "http://siem.example.com/in" },
      filter: "action:(",
    });
    expect(bad.status).toBe(400);
    const problem = bad.json();
    expect(problem.code).toBe("STREAM_INVALID");
    expect(problem.problems.map((p: { pointer: string }) => p.pointer).sort()).toEqual([
      "/body/destination/url",
      "/body/filter",
    ]);
    const nats = await call("POST", "/v1/streams", f.acme.admin, {
      name: "bad",
      destination: { type: "nats", servers: ["nats://user:pw@127.0.0.1:4222"], subject: "a.b" },
    });
    expect(nats.status).toBe(400);
    expect(nats.json().problems.map((p: { pointer: string }) => p.pointer)).toEqual(["/body/destination/servers/0"]);
    const schema = await call("POST", "/v1/streams", f.acme.admin, { name: "", destination: { type: "ftp" } });
    expect(schema.status).toBe(400);
    expect((await call("GET", "/v1/streams", f.acme.admin)).json().streams).toEqual([]);
  });

  it("runs the lifecycle, each change an event, no secret in any answer or entry, and resumes with its chain whole", async () => {
    const { stream, secret } = await create({});
    expect(secret).toMatch(/^whsec_/);
    const id = stream.id;
    await ingest(logins(5, 0));
    await until("the first five", () => linesOf(id, [secret]).length >= 5);

    const paused = await call("POST", `/v1/streams/${id}/pause`, f.acme.admin);
    expect(paused.json().stream.status).toBe("paused");
    expect((await call("POST", `/v1/streams/${id}/pause`, f.acme.admin)).json().code).toBe("STREAM_STATE_CONFLICT");
    await ingest(logins(4, 5));
    await new Promise((r) => setTimeout(r, 600));
    expect(linesOf(id, [secret])).toHaveLength(5);
    const seen = (await call("GET", `/v1/streams/${id}`, f.acme.auditor)).json().stream;
    // An auditor sees where it goes, not the URL's path (which may itself be a credential).
    expect(seen.destination).toEqual({ type: "webhook", url: new URL(receiver.url).origin });
    expect((await call("GET", `/v1/streams/${id}`, f.acme.admin)).json().stream.destination.url).toBe(receiver.url);
    const waiting = seen.health;
    expect(waiting).toMatchObject({ running: false, delivered: 5, last_error: null });
    expect(waiting.lag_entries).toBeGreaterThanOrEqual(4);

    expect((await call("POST", `/v1/streams/${id}/resume`, f.acme.admin)).json().stream.status).toBe("active");
    await until("the four sent while paused", () => linesOf(id, [secret]).length >= 9);

    const rotated = await call("POST", `/v1/streams/${id}/rotate-secret`, f.acme.admin);
    expect(rotated.status, rotated.text).toBe(200);
    const newSecret = rotated.json().secret as string;
    expect(newSecret).not.toBe(secret);
    await ingest(logins(3, 9));
    await until("three after the rotation", () => linesOf(id, [secret, newSecret]).length >= 12);
    const last = receiver.received.filter((r) => r.headers["trailproof-stream"] === id).at(-1);
    expect(verifySignature(newSecret, String(last?.headers["trailproof-signature"]), String(last?.body))).toBe(true);

    // Each login once, in log order, each prev_index the one before: nothing lost while paused.
    const lines = linesOf(id, [secret, newSecret]);
    const unique = [...new Map(lines.map((l) => [l.index, l])).values()];
    expect(unique.map((l) => l.event_id)).toEqual(logins(12, 0).map((e) => e.id));
    unique.forEach((l, i) => {
      expect(l.prev_index).toBe(i === 0 ? null : unique[i - 1]?.index);
    });
    expect(unique[0]?.origin).toMatch(/acme$/);

    const health = (await call("GET", `/v1/streams/${id}`, f.acme.auditor)).json().stream.health;
    expect(health).toMatchObject({ running: true, last_error: null, last_sent_index: unique.at(-1)?.index });
    expect(health.delivered).toBeGreaterThanOrEqual(12);
    expect((await call("DELETE", `/v1/streams/${id}`, f.acme.admin)).status).toBe(200);
    expect((await call("GET", `/v1/streams/${id}`, f.acme.admin)).status).toBe(404);
    await ingest(logins(2, 12));
    await new Promise((r) => setTimeout(r, 400));
    expect(linesOf(id, [secret, newSecret]).filter((l) => l.index > (unique.at(-1)?.index ?? 0))).toEqual([]);

    const listed = await call("GET", "/v1/streams", f.acme.admin);
    expect(listed.text).not.toContain("whsec_");
    // Every change is an event naming the stream; none holds a secret.
    const changes = await call("GET", `/v1/events?q=${encodeURIComponent(`target_id:${id}`)}&order=asc`, f.acme.admin);
    const actions = (changes.json().events as { event: { action: string } }[]).map((e) => e.event.action);
    expect(actions).toEqual([
      "stream.create",
      "stream.pause",
      "stream.resume",
      "stream.rotate_secret",
      "stream.delete",
    ]);
    const size = await f.data.ledger.treeSize("acme");
    const tenantId = (await f.data.ledger.tenantRecord("acme")).tenantId;
    const entries = await f.data.ledger.store.readEntries(tenantId, 0, size);
    const text = entries.map((e) => Buffer.from(e.leafData).toString("utf8")).join("\n");
    expect(text).not.toContain(secret);
    expect(text).not.toContain(newSecret);
  });

  it("drops personal data by default, pseudonymises it on request, and never sends an erased value", async () => {
    await ingest(logins(2, 100, "usr_grace"));
    const dropped = await create({ start: "beginning", filter: "actor:usr_grace" });
    await until("grace's logins, dropped", () => linesOf(dropped.stream.id, [dropped.secret]).length >= 2);
    for (const l of linesOf(dropped.stream.id, [dropped.secret])) {
      expect(l.event.actor).toEqual({ type: "user", id: "redacted" });
      expect(l.event.context?.ip).toBeUndefined();
      expect(l.event.metadata?.email).toBeUndefined();
      expect(l.event.privacy).toBeUndefined();
      expect(JSON.stringify(l)).not.toMatch(/usr_grace|203\.0\.113\.9|ada@example\.com|Lovelace/);
    }

    const pseudo = await create({ start: "beginning", filter: "actor:usr_grace", personal: "pseudonymise" });
    await until("grace's logins, pseudonymised", () => linesOf(pseudo.stream.id, [pseudo.secret]).length >= 2);
    const [first, second] = linesOf(pseudo.stream.id, [pseudo.secret]);
    expect(first?.event.actor.id).toMatch(/^psn_/);
    expect(first?.event.context.ip).toMatch(/^psn_/);
    expect(first?.event.actor.name).toMatch(/^psn_/);
    // One person, one address: the same pseudonyms, so a SIEM can correlate.
    expect(second?.event.actor.id).toBe(first?.event.actor.id);
    expect(second?.event.context.ip).toBe(first?.event.context.ip);
    expect(JSON.stringify([first, second])).not.toMatch(/usr_grace|203\.0\.113\.9|ada@example\.com|Lovelace/);

    await eraseAsTheService(f.data.ledger, "acme", "usr_grace", "era_grace", new Date());
    const after = await create({ start: "beginning", filter: "actor:usr_grace", personal: "pseudonymise" });
    await until("grace's logins after the erasure", () => linesOf(after.stream.id, [after.secret]).length >= 2);
    for (const l of linesOf(after.stream.id, [after.secret])) {
      expect(l.event.actor.id).toBe(first?.event.actor.id);
      expect(l.event.context?.ip).toBeUndefined();
      expect(l.event.actor.name).toBeUndefined();
      expect(l.event.metadata?.email).toBeUndefined();
    }
  });
});
