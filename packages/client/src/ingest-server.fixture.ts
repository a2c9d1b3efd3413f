// A real HTTP server on 127.0.0.1 speaking the ingest half of the wire
// contract (POST /v1/events, docs/api.md) for the SDK's unit tests: it seals
// events in memory with gapless indexes, answers `duplicate` for a re-sent id
// with the same content, and can be told to fail the next requests (429/503
// with Retry-After, 5xx, 4xx problems, dropped connections).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Failure =
  | { status: number; retryAfter?: string; problem?: { code: string; detail?: string } }
  | { destroy: true };

export interface ReceivedRequest {
  atMs: number;
  events: Array<Record<string, unknown>>;
}

export interface IngestServer {
  url: string;
  /** Every POST /v1/events, in arrival order, including failed ones. */
  requests: ReceivedRequest[];
  /** Sealed events by id, in log order. */
  sealed: Map<string, { index: number; json: string; event: Record<string, unknown> }>;
  /** Queues failures for the next requests, one each. */
  failNext(...failures: Failure[]): void;
  /** Events matching this get a `rejected` result. */
  rejectWhen(predicate: (event: Record<string, unknown>) => boolean): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    "content-type": status === 200 ? "application/json" : "application/problem+json",
    ...headers,
  });
  res.end(JSON.stringify(body));
}

export async function startIngestServer(options: { port?: number } = {}): Promise<IngestServer> {
  const requests: ReceivedRequest[] = [];
  const sealed: IngestServer["sealed"] = new Map();
  const failures: Failure[] = [];
  let reject: (event: Record<string, unknown>) => boolean = () => false;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const text = await readBody(req);
      const body = JSON.parse(text) as { events?: Array<Record<string, unknown>> };
      const events = body.events ?? [body as Record<string, unknown>];
      requests.push({ atMs: Date.now(), events });
      const failure = failures.shift();
      if (failure !== undefined && "destroy" in failure) return req.socket.destroy();
      if (failure !== undefined) {
        const headers: Record<string, string> = failure.retryAfter ? { "retry-after": failure.retryAfter } : {};
        const code = failure.problem?.code ?? "INTERNAL";
        return sendJson(
          res,
          failure.status,
          { type: "about:blank", title: "x", status: failure.status, code },
          headers,
        );
      }
      const results = events.map((event) => {
        const id = String(event.id);
        if (reject(event)) {
          return { id, status: "rejected", errors: [{ pointer: "/action", message: "is refused by the fixture" }] };
        }
        const json = JSON.stringify(event);
        const earlier = sealed.get(id);
        const status = earlier === undefined ? "created" : earlier.json === json ? "duplicate" : "rejected";
        if (status === "rejected") {
          return { id, status, errors: [{ pointer: "/id", message: "an event with this id but different content" }] };
        }
        const entry = earlier ?? { index: sealed.size, json, event };
        sealed.set(id, entry);
        return {
          id,
          status,
          index: entry.index,
          leaf_hash: Buffer.alloc(32, entry.index % 256).toString("base64"),
          received_at: new Date().toISOString(),
        };
      });
      sendJson(res, 200, { results });
    })();
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    sealed,
    failNext: (...f) => failures.push(...f),
    rejectWhen: (predicate) => {
      reject = predicate;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL on 127.0.0.1 where nothing listens (a port just freed). */
export async function deadUrl(): Promise<string> {
  const server = await startIngestServer();
  await server.close();
  return server.url;
}
