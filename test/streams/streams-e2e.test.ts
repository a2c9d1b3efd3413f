// Streams end to end, as an operator lives them: `trailproof serve` as a
// real process streams one tenant's log to a real rsyslog (syslog over TCP),
// a real nats-server (JetStream) and a real HTTP receiver (signed NDJSON).
// Mid-stream every receiver goes down, more events are committed, the
// service is SIGKILLed, starts again and takes more, and only then do the
// receivers come back. Every matching entry then stands at each receiver
// exactly once after dedupe by index, the prev_index chain has no gap, and
// the streams' health says so.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect, nanos } from "@nats-io/transport-node";
import { afterEach, describe, expect, it } from "vitest";
import { verifySignature, WebhookReceiver } from "../notify/webhook-receiver.js";
import { serve, stop } from "../serve-process.js";
import { OwnNatsServer, TOKEN } from "./nats-harness.js";
import { RsyslogHarness, rsyslogMissing } from "./rsyslog-harness.js";

const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const FILTER = "action:record.update";
const SUBJECT = "trailproof.e2e.audit";

interface Received {
  index: number;
  prev: number | null;
}

/** Each index once, in order, and each message's prev_index the index before it: no gap. */
function checkChain(received: readonly Received[], expected: readonly number[], name: string): void {
  const unique = new Map<number, Received>();
  for (const r of received) {
    const seen = unique.get(r.index);
    // A redelivery is the same message: the same prev_index.
    if (seen) expect(seen.prev, `${name}: index ${r.index} sent twice differently`).toBe(r.prev);
    unique.set(r.index, r);
  }
  const indexes = [...unique.keys()].sort((a, b) => a - b);
  expect(indexes, `${name}: indexes after dedupe`).toEqual(expected);
  let prev: number | null = null;
  for (const i of indexes) {
    expect(unique.get(i)?.prev, `${name}: prev_index of ${i}`).toBe(prev);
    prev = i;
  }
}

async function api(url: string, key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  expect(res.status, `${method} ${path}: ${text}`).toBeLessThan(300);
  return (text === "" ? {} : JSON.parse(text)) as Record<string, unknown>;
}

function updates(from: number, count: number) {
  return Array.from({ length: count }, (_, k) => ({
    id: `evt_upd_${from + k}`,
    action: "record.update",
    occurred_at: new Date().toISOString(),
    actor: { type: "user", id: `usr_${(from + k) % 7}` },
    target: { type: "record", id: `rec_${from + k}` },
    outcome: { status: "success" },
  }));
}

const missing = rsyslogMissing();

describe.skipIf(missing !== undefined)(`streams end to end${missing ? ` (skipped: ${missing})` : ""}`, () => {
  it("delivers every matching entry exactly once after dedupe, with no gap, across receivers down and a SIGKILLed service", async () => {
    const rsyslog = await RsyslogHarness.start();
    cleanup.push(() => rsyslog.stop());
    const nats = new OwnNatsServer();
    cleanup.push(() => nats.remove());
    await nats.start();
    const admin = await connect({ servers: [nats.url], token: TOKEN, reconnect: false });
    const jsm = await jetstreamManager(admin);
    await jsm.streams.add({ name: "TP_E2E", subjects: [SUBJECT], duplicate_window: nanos(3_600_000) });
    await admin.close();
    const hook = new WebhookReceiver();
    await hook.start();
    cleanup.push(() => hook.stop());
    /** Every line of every batch, each batch's signature checked. */
    const hookLines = (): Received[] =>
      hook.received.flatMap((r) => {
        expect(verifySignature(hookSecret, String(r.headers["trailproof-signature"]), r.body)).toBe(true);
        return r.body
          .split("\n")
          .filter((l) => l !== "")
          .map((l) => {
            const m = JSON.parse(l) as { index: number; prev_index: number | null };
            return { index: m.index, prev: m.prev_index };
          });
      });

    const data = join(mkdtempSync(join(tmpdir(), "trailproof-streams-e2e-")), "data");
    const env = {
      TRAILPROOF_STREAM_BACKOFF_BASE_MS: "200",
      TRAILPROOF_STREAM_BACKOFF_CAP_MS: "1500",
      TRAILPROOF_STREAM_TICK_MS: "500",
      TRAILPROOF_STREAM_BATCH_ENTRIES: "100",
    };
    let s = await serve(["--data", data], env);
    const operatorKey = /^operator key \(shown once, keep it safe\): (tpk_\S+)$/
      .exec(s.lines.find((l) => l.startsWith("operator key")) ?? "")
      ?.at(1) as string;
    const { admin_key } = (await api(s.url, operatorKey, "POST", "/v1/tenants", { name: "acme" })) as {
      admin_key: string;
    };
    const { key: ingestKey } = (await api(s.url, admin_key, "POST", "/v1/keys", { role: "ingest", name: "e2e" })) as {
      key: string;
    };
    const create = (name: string, destination: unknown, secret?: string) =>
      api(s.url, admin_key, "POST", "/v1/streams", {
        name,
        destination,
        filter: FILTER,
        ...(secret ? { secret } : {}),
      });
    const syslogStream = await create("syslog", rsyslog.plainConfig());
    const natsStream = await create("nats", { type: "nats", servers: [nats.url], subject: SUBJECT }, TOKEN);
    const hookStream = await create("webhook", { type: "webhook", url: hook.url });
    const hookSecret = hookStream.secret as string;
    const ingest = async (from: number, count: number) => {
      for (let i = 0; i < count; i += 50) {
        await api(s.url, ingestKey, "POST", "/v1/events", { events: updates(from + i, Math.min(50, count - i)) });
      }
    };

    await ingest(0, 300);
    // Let some of it out, then take every receiver down mid-stream.
    await rsyslog.waitForMessages(50, () => true, 20_000);
    await rsyslog.kill();
    await nats.kill();
    await hook.stop();
    await ingest(300, 300);
    await new Promise((r) => setTimeout(r, 1000));
    await stop(s, "SIGKILL");

    s = await serve(["--data", data], env);
    await ingest(600, 300);
    await new Promise((r) => setTimeout(r, 1500));
    await rsyslog.restart();
    await nats.start();
    await hook.start();

    // The log's matching entries, in order.
    const expected: number[] = [];
    for (let cursor: string | undefined; ; ) {
      const page = (await api(
        s.url,
        admin_key,
        "GET",
        `/v1/events?q=${encodeURIComponent(FILTER)}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      )) as { events: { index: number }[]; next_cursor: string | null };
      expected.push(...page.events.map((i) => i.index));
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
    expected.sort((a, b) => a - b);
    expect(expected).toHaveLength(900);

    const syslogReceived = (): Received[] =>
      rsyslog.messages().map((m) => {
        const index = Number(/ index="(\d+)"/.exec(m.structured_data)?.[1]);
        const prev = / prev="(\d+)"/.exec(m.structured_data)?.[1];
        return { index, prev: prev === undefined ? null : Number(prev) };
      });
    const natsReceived = async (): Promise<Received[]> => {
      const nc = await connect({ servers: [nats.url], token: TOKEN, reconnect: false });
      try {
        const m = await jetstreamManager(nc);
        const info = await m.streams.info("TP_E2E");
        const out: Received[] = [];
        for (let seq = info.state.first_seq; info.state.messages > 0 && seq <= info.state.last_seq; seq++) {
          const msg = await m.streams.getMessage("TP_E2E", { seq });
          if (!msg) continue;
          const body = msg.json<{ index: number; prev_index: number | null }>();
          out.push({ index: body.index, prev: body.prev_index });
        }
        return out;
      } finally {
        await nc.close();
      }
    };
    const uniqueCount = (r: readonly Received[]) => new Set(r.map((x) => x.index)).size;
    await expect.poll(() => uniqueCount(syslogReceived()), { timeout: 60_000, interval: 500 }).toBe(900);
    await expect.poll(() => uniqueCount(hookLines()), { timeout: 60_000, interval: 500 }).toBe(900);
    await expect.poll(async () => uniqueCount(await natsReceived()), { timeout: 60_000, interval: 1000 }).toBe(900);

    checkChain(syslogReceived(), expected, "syslog");
    checkChain(hookLines(), expected, "webhook");
    checkChain(await natsReceived(), expected, "nats");

    // Health: nothing waiting, every message counted, and /metrics agrees.
    for (const stream of [syslogStream, natsStream, hookStream]) {
      const id = (stream.stream as { id: string }).id;
      await expect
        .poll(
          async () => {
            const { stream: now } = (await api(s.url, admin_key, "GET", `/v1/streams/${id}`)) as {
              stream: { health: { lag_entries: number; delivered: number; last_error: string | null } };
            };
            return now.health;
          },
          { timeout: 20_000, interval: 500 },
        )
        .toMatchObject({ lag_entries: 0, last_error: null });
    }
    const metrics = await (
      await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${operatorKey}` } })
    ).text();
    expect(metrics).toMatch(/trailproof_stream_lag_entries\{tenant="acme",stream="str_[^"]+"\} 0/);
    await stop(s);
  }, 240_000);
});
