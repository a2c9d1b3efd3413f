// What every drop-in ingest suite starts from: the API fixture's real server
// (test/api/api-fixture.ts) listening on 127.0.0.1, tenants that accept
// unregistered actions, reads back through our own API with an auditor key
// (which sees personal values), golden-request replay, and a proxy that
// fails the requests a test chooses so clients' retries can be watched.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createServer, request as httpRequest, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { expect } from "vitest";
import { type ApiFixture, buildApiFixture } from "../api/api-fixture.js";

/** A stored event as GET /v1/events answers it, walked without checks: the assertions check it. */
export type StoredEvent = { id: string; action: string; [key: string]: unknown };

/** Listens on an ephemeral port of 127.0.0.1 and answers the server's base URL. */
export async function listen(app: FastifyInstance): Promise<URL> {
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return new URL(`http://127.0.0.1:${address.port}`);
}

export interface CompatServer {
  f: ApiFixture;
  /** The listening server, e.g. `http://127.0.0.1:41234`. */
  base: URL;
  /** The tree size of `tenant`'s log: refusals must leave it as it was. */
  size(tenant?: "acme" | "globex"): Promise<number>;
  /** GET /v1/events/:id as `key` (acme's auditor by default); expects 200. */
  readBack(id: string, key?: string): Promise<StoredEvent>;
  /** GET /v1/events?<query>&limit=100 as `key` (acme's auditor by default), once the ledger settled; expects 200. */
  events(query: Record<string, string>, key?: string): Promise<StoredEvent[]>;
}

/**
 * The API fixture listening over HTTP. The tenants in `acceptUnknownActions`
 * (their admin key PATCHes /v1/settings) take actions without a schema.
 */
export async function startCompatServer(
  options: { acceptUnknownActions?: readonly ("acme" | "globex")[] } = {},
): Promise<CompatServer> {
  const f = await buildApiFixture();
  for (const tenant of options.acceptUnknownActions ?? []) {
    const res = await f.request("PATCH", "/v1/settings", f[tenant].admin, { unknown_actions: "accept" });
    expect(res.statusCode, res.body).toBe(200);
  }
  const base = await listen(f.app);
  return {
    f,
    base,
    size: (tenant = "acme") => f.data.ledger.treeSize(tenant),
    async readBack(id, key = f.acme.auditor) {
      const res = await f.request("GET", `/v1/events/${encodeURIComponent(id)}`, key);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().event as StoredEvent;
    },
    async events(query, key = f.acme.auditor) {
      await f.settled();
      const search = new URLSearchParams({ ...query, limit: "100" });
      const res = await f.request("GET", `/v1/events?${search}`, key);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().events as { event: StoredEvent }[]).map((i) => i.event);
    },
  };
}

/** Expects each of `paths` (OpenAPI form, `/k8s/audit/{tenant}`) in the OpenAPI document: a POST with a summary, tagged compat, behind the bearer scheme. */
export async function expectCompatPostsInOpenApi(f: ApiFixture, paths: readonly string[]): Promise<void> {
  const doc = (await f.request("GET", "/openapi.json")).json() as {
    paths: Record<string, { post?: { tags?: string[]; summary?: string; security?: unknown } }>;
  };
  for (const path of paths) {
    expect(doc.paths[path]?.post, path).toMatchObject({ tags: ["compat"], security: [{ bearer: [] }] });
    expect(doc.paths[path]?.post?.summary, path).toEqual(expect.any(String));
  }
}

/** Every file under `dir`, concatenated: the tenants' SQLite files, their WAL and the catalogue. */
export function filesUnder(dir: string): Buffer {
  const out: Buffer[] = [];
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    if (statSync(path).isFile()) out.push(readFileSync(path));
  }
  return Buffer.concat(out);
}

export interface Reply {
  status: number;
  type: string;
  body: Record<string, unknown>;
}

/**
 * Sends a golden request (`<file>`: `{method, path, headers, body}`, the body
 * a file beside it) as recorded, `{{KEY}}`, `{{HOST}}` and `{{LENGTH}}` filled
 * in; `change` replaces the path, the body or headers.
 */
export function replayGolden(
  base: URL,
  file: string,
  key: string,
  change: { path?: string; body?: Buffer | string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const recorded = JSON.parse(readFileSync(file, "utf8")) as {
    method: string;
    path: string;
    headers: Record<string, string>;
    body: string;
  };
  const body = Buffer.from(change.body ?? readFileSync(join(file, "..", recorded.body)));
  const fill: Record<string, string> = { HOST: base.host, LENGTH: String(body.length), KEY: key };
  const headers = Object.fromEntries(
    Object.entries({ ...recorded.headers, ...change.headers }).map(([k, v]) => [
      k,
      v.replace(/\{\{(\w+)\}\}/g, (_, n: string) => fill[n] ?? ""),
    ]),
  );
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: base.hostname, port: base.port, method: recorded.method, path: change.path ?? recorded.path, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers["content-type"] ?? ""),
            body: JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}"),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** What the proxy does with one request instead of passing it through. */
export interface ProxyFault {
  /** true: the server gets the request (and stores it) but the client gets this answer instead. */
  forward: boolean;
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface FaultyProxy {
  /** The proxy's base URL, e.g. `http://127.0.0.1:41235`. */
  url: URL;
  close(): Promise<void>;
}

/**
 * A proxy in front of `target` that asks `fault` about each request (in
 * arrival order, `n` from 1): undefined passes it through, a ProxyFault
 * answers it instead (after forwarding it, or without).
 */
export async function startFaultyProxy(
  target: URL,
  fault: (request: IncomingMessage, n: number) => ProxyFault | undefined,
): Promise<FaultyProxy> {
  let n = 0;
  const proxy = createServer((req, res) => {
    const failure = fault(req, ++n);
    const answer = (f: ProxyFault) => res.writeHead(f.status, f.headers ?? {}).end(f.body);
    if (failure && !failure.forward) {
      req.resume();
      answer(failure);
      return;
    }
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (upstreamAnswer) => {
        if (failure) {
          upstreamAnswer.resume();
          answer(failure);
          return;
        }
        res.writeHead(upstreamAnswer.statusCode ?? 502, upstreamAnswer.headers);
        upstreamAnswer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  return {
    url: new URL(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`),
    close: () => new Promise<void>((resolve, reject) => proxy.close((err) => (err ? reject(err) : resolve()))),
  };
}
