// The webhook destination against a real node:http receiver on 127.0.0.1:
// the NDJSON batch and its headers as they arrive, the signature recomputed
// here with node:crypto as docs/notifications.md tells receivers to, and
// each way a POST fails (an error status, Retry-After, a refused connection,
// a receiver too slow, a redirect) thrown as STREAM_DESTINATION_FAILED.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { StreamDestinationError } from "../../apps/server/src/streams/destination-error.js";
import { webhookDestination } from "../../apps/server/src/streams/destinations/webhook/webhook-destination.js";
import type { OutgoingMessage, StreamDestination } from "../../apps/server/src/streams/stream-types.js";
import { destinationFailure } from "./destination-failure.js";
import { outgoingMessages } from "./outgoing-messages.js";

const SECRET = "whsec_stream_test_secret";
const ORIGIN = "trailproof.test/acme";

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A receiver answering every request with `answer`, recording what came. */
async function receiver(answer: (res: ServerResponse) => void): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanup.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/stream`, received };
}

function destination(url: string, options: { secret?: string | null; timeoutMs?: number } = {}): StreamDestination {
  const secret = options.secret === null ? undefined : (options.secret ?? SECRET);
  const d = webhookDestination(
    { type: "webhook", url },
    { streamId: "str_hook", origin: ORIGIN, tenant: "acme", secret, timeoutMs: options.timeoutMs ?? 5000 },
  );
  cleanup.push(() => d.close());
  return d;
}

function messages(indexes: number[], prevFirst: number | null = null): OutgoingMessage[] {
  return outgoingMessages(indexes, prevFirst, (index) =>
    JSON.stringify({ index, origin: ORIGIN, note: "caf\u00e9 \u2713" }),
  );
}

/** The receiver's check of docs/notifications.md, written again here: HMAC-SHA256 over `${t}.${rawBody}`, 5-minute window. */
function signatureValid(header: string | string[] | undefined, body: string): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(header));
  if (match === null) return false;
  const t = Number(match[1]);
  if (Math.abs(Date.now() / 1000 - t) > 300) return false;
  const expected = createHmac("sha256", SECRET).update(`${t}.${body}`, "utf8").digest();
  return timingSafeEqual(expected, Buffer.from(match[2] as string, "hex"));
}

async function failure(promise: Promise<unknown>): Promise<StreamDestinationError> {
  const err = await destinationFailure(promise);
  expect(err).toBeInstanceOf(StreamDestinationError);
  return err as StreamDestinationError;
}

describe("webhook destination", () => {
  it("POSTs the batch as signed NDJSON with its index headers", async () => {
    const { url, received } = await receiver((res) => res.writeHead(204).end());
    const d = destination(url);
    expect(d.settleMs).toBe(0);
    const batch = messages([4, 9, 10], 2);
    await d.send(batch);

    expect(received).toHaveLength(1);
    const [got] = received as [Received];
    expect(got.method).toBe("POST");
    expect(got.path).toBe("/stream");
    expect(got.body).toBe(`${batch.map((m) => m.text).join("\n")}\n`);
    expect(
      got.body
        .split("\n")
        .slice(0, -1)
        .map((line) => JSON.parse(line).index),
    ).toEqual([4, 9, 10]);
    expect(signatureValid(got.headers["trailproof-signature"], got.body)).toBe(true);
    expect(signatureValid(got.headers["trailproof-signature"], got.body.replace("9", "8"))).toBe(false);
    expect(got.headers).toMatchObject({
      "content-type": "application/x-ndjson",
      "user-agent": "Trailproof-Stream/1",
      "trailproof-event": "stream.batch",
      "trailproof-delivery": "str_hook:4-10",
      "trailproof-stream": "str_hook",
      "trailproof-origin": ORIGIN,
      "trailproof-first-index": "4",
      "trailproof-last-index": "10",
      "trailproof-prev-index": "2",
      "trailproof-count": "3",
    });
  });

  it("leaves out Trailproof-Prev-Index on the stream's first batch, and sends nothing for an empty one", async () => {
    const { url, received } = await receiver((res) => res.writeHead(200).end("ok"));
    const d = destination(url);
    await d.send([]);
    expect(received).toHaveLength(0);
    await d.send(messages([0]));
    expect(received).toHaveLength(1);
    expect(received[0]?.headers["trailproof-prev-index"]).toBeUndefined();
    expect(received[0]?.headers["trailproof-delivery"]).toBe("str_hook:0-0");
  });

  it("throws on a 500 with no wait asked", async () => {
    const { url } = await receiver((res) => res.writeHead(500).end("boom"));
    const err = await failure(destination(url).send(messages([1])));
    expect(err.message).toBe("HTTP 500");
    expect(err.retryAfterMs).toBeUndefined();
  });

  it("carries the wait a 503 or 429 asks for in Retry-After", async () => {
    const busy = await receiver((res) => res.writeHead(503, { "retry-after": "7" }).end());
    const err = await failure(destination(busy.url).send(messages([1])));
    expect(err.message).toBe("HTTP 503");
    expect(err.retryAfterMs).toBe(7000);
    const limited = await receiver((res) => res.writeHead(429, { "retry-after": "2" }).end());
    expect((await failure(destination(limited.url).send(messages([1])))).retryAfterMs).toBe(2000);
  });

  it("does not follow a redirect", async () => {
    const { url, received } = await receiver((res) => res.writeHead(307, { location: "/elsewhere" }).end());
    const err = await failure(destination(url).send(messages([1])));
    expect(err.message).toBe("HTTP 307");
    expect(received.map((r) => r.path)).toEqual(["/stream"]);
  });

  it("throws when the port is closed", async () => {
    const { url } = await receiver((res) => res.writeHead(204).end());
    await (cleanup.pop() as () => Promise<unknown>)();
    const err = await failure(destination(url).send(messages([1])));
    expect(err.message).toBe("connection failed: ECONNREFUSED");
  });

  it("times out a receiver slower than the timeout", async () => {
    const held: ServerResponse[] = [];
    const { url, received } = await receiver((res) => held.push(res));
    const started = performance.now();
    const err = await failure(destination(url, { timeoutMs: 300 }).send(messages([1])));
    expect(err.message).toBe("timed out");
    expect(performance.now() - started).toBeLessThan(3000);
    expect(received).toHaveLength(1);
    for (const res of held) res.writeHead(204).end();
  });

  it("sends nothing unsigned and nothing that would break the line framing", async () => {
    const { url, received } = await receiver((res) => res.writeHead(204).end());
    expect((await failure(destination(url, { secret: null }).send(messages([1])))).message).toBe("no signing secret");
    const broken = messages([1, 2]);
    (broken[1] as { text: string }).text = '{"a":1}\n{"b":2}';
    expect((await failure(destination(url).send(broken))).message).toBe("a message is not one line");
    expect(received).toHaveLength(0);
  });
});
