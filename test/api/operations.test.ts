// Operating the service: health and readiness, Prometheus metrics behind the
// operator key, security headers, CORS off by default, request ids, and the
// OpenAPI 3.1 document and docs/api.md listing every endpoint the server registers.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { routeTableOf } from "@trailproof/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiFixture, buildApiFixture } from "./api-fixture.js";

const ROOT = join(import.meta.dirname, "../..");
const DOCS = join(ROOT, "docs");
let f: ApiFixture;

beforeAll(async () => {
  f = await buildApiFixture();
});
afterAll(async () => {
  await f?.close();
});

describe("health", () => {
  it("/healthz is 200 ok", async () => {
    const res = await f.request("GET", "/healthz");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ok" });
  });

  it("/readyz is 200 ready with no problems", async () => {
    const res = await f.request("GET", "/readyz");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ready", problems: [] });
  });
});

describe("/metrics", () => {
  it.each([
    "trailproof_events_total",
    "trailproof_append_seconds",
    "trailproof_tree_size",
    "trailproof_checkpoint_age_seconds",
    "trailproof_auth_failures_total",
    "trailproof_ingest_queue_depth",
  ])("exposes %s in Prometheus text", async (name) => {
    const res = await f.request("GET", "/metrics", f.operator);
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toMatch(new RegExp(`^# TYPE ${name} (counter|gauge|histogram)$`, "m"));
    expect(res.body).toMatch(new RegExp(`^# HELP ${name} \\S`, "m"));
  });

  it("counts what happened: created events, tree sizes, auth failures", async () => {
    const created = f.eventIds.acme.length + f.eventIds.globex.length;
    await f.request("GET", "/v1/events", "tpk_not_a_real_key");
    await f.request("GET", "/v1/events");
    const body = (await f.request("GET", "/metrics", f.operator)).body;
    expect(body).toMatch(new RegExp(`^trailproof_events_total\\{status="created"\\} ${created}$`, "m"));
    const acmeSize = await f.data.ledger.treeSize("acme");
    expect(body).toMatch(new RegExp(`^trailproof_tree_size\\{tenant="acme"\\} ${acmeSize}$`, "m"));
    expect(body).toMatch(/^trailproof_auth_failures_total\{reason="invalid"\} [1-9]\d*$/m);
    expect(body).toMatch(/^trailproof_auth_failures_total\{reason="missing"\} [1-9]\d*$/m);
    expect(body).toMatch(/^trailproof_append_seconds_count\{batch="2-100"\} 2$/m);
  });

  it("never shows a tenant's events", async () => {
    const body = (await f.request("GET", "/metrics", f.operator)).body;
    expect(body).not.toContain("acme_chain");
    expect(body).not.toContain("usr_ada");
  });
});

describe("HTTP hygiene", () => {
  it.each(["/healthz", "/v1/events", "/v1/nope"])("security headers on %s", async (url) => {
    const res = await f.request("GET", url, f.acme.viewer);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["content-security-policy"]).toMatch(/default-src 'self'/);
    expect(res.headers["content-security-policy"]).toMatch(/object-src 'none'/);
    expect(res.headers["x-frame-options"]).toBe("SAMEORIGIN");
    expect(res.headers["strict-transport-security"]).toMatch(/max-age=\d+/);
  });

  it("no CORS by default, even when an origin asks", async () => {
    const headers = { origin: "https://evil.example", "access-control-request-method": "GET" };
    const preflight = await f.app.inject({ method: "OPTIONS", url: "/v1/events", headers });
    expect(preflight.headers["access-control-allow-origin"]).toBeUndefined();
    const res = await f.request("GET", "/v1/events", f.acme.viewer, undefined, { origin: "https://evil.example" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["access-control-allow-origin"]).toBeUndefined();
    expect(res.headers["access-control-allow-credentials"]).toBeUndefined();
  });

  it("CORS, when configured, allows the listed origins only", async () => {
    const app = await f.appWith({ corsOrigins: ["https://console.example"] });
    try {
      const ask = (origin: string) =>
        app.inject({ url: "/v1/stats", headers: { origin, authorization: `Bearer ${f.acme.viewer}` } });
      expect((await ask("https://console.example")).headers["access-control-allow-origin"]).toBe(
        "https://console.example",
      );
      expect((await ask("https://evil.example")).headers["access-control-allow-origin"]).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it("echoes a well-formed x-request-id and replaces a malformed one", async () => {
    const given = await f.request("GET", "/v1/nope", undefined, undefined, { "x-request-id": "req-abc.123:x" });
    expect(given.headers["x-request-id"]).toBe("req-abc.123:x");
    expect(given.json().request_id).toBe("req-abc.123:x");
    const bad = await f.request("GET", "/healthz", undefined, undefined, { "x-request-id": "evil\tinjected value" });
    expect(bad.headers["x-request-id"]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const none = await f.request("GET", "/healthz");
    expect(none.headers["x-request-id"]).toEqual(expect.any(String));
    expect(none.headers["x-request-id"]).not.toBe(bad.headers["x-request-id"]);
  });
});

describe("OpenAPI and docs/api.md", () => {
  /** The console's files and the API reference itself (/docs, /openapi.json) are not endpoints. */
  const isEndpoint = (url: string) => url.startsWith("/v1/") || ["/healthz", "/readyz", "/metrics"].includes(url);
  /** `METHOD /path` with every parameter as `{}`: docs may name a parameter differently (`{id}` for `:keyId`). */
  const shape = (method: string, path: string) =>
    `${method.toUpperCase()} ${path.replace(/\?.*$/, "").replace(/:[^/]+|\{[^}]+\}/g, "{}")}`;

  it("/openapi.json is OpenAPI 3.1.0 and lists every route the server registers, behind the bearer scheme where a key is needed", async () => {
    const res = await f.request("GET", "/openapi.json");
    expect(res.statusCode).toBe(200);
    const doc = res.json() as {
      openapi: string;
      paths: Record<string, Record<string, { security?: unknown }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.securitySchemes.bearer).toEqual({ type: "http", scheme: "bearer" });
    const routes = routeTableOf(f.app).filter((r) => r.method !== "HEAD" && isEndpoint(r.url));
    // The table is the server's own: a route added later is checked without editing this test.
    expect(routes.length).toBeGreaterThan(40);
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => shape(m, path)));
    const missing = routes.filter((r) => !listed.includes(shape(r.method, r.url))).map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
    for (const r of routes) {
      // Console sessions (/v1/auth/*) authenticate with their cookie, every other guarded route with a key.
      if (r.permission === undefined || r.url.startsWith("/v1/auth/")) continue;
      const path = r.url.replace(/:([^/]+)/g, "{$1}");
      expect(doc.paths[path]?.[r.method.toLowerCase()]?.security, `${r.method} ${r.url}`).toEqual([{ bearer: [] }]);
    }
  });

  it("docs/api.md lists every route the server registers", async () => {
    const text = await readFile(join(DOCS, "api.md"), "utf8");
    const documented = new Set(
      [...text.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/[^`\s]*)`/g)].map(([, m, p]) =>
        shape(m as string, p as string),
      ),
    );
    const routes = routeTableOf(f.app).filter((r) => r.method !== "HEAD" && isEndpoint(r.url));
    const missing = routes.filter((r) => !documented.has(shape(r.method, r.url))).map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
  });

  it.each(["api.md", "configuration.md"])(
    "docs/%s tables render: no row has more cells than its header",
    async (name) => {
      // A `|` inside a code span still splits a GFM table cell unless escaped as `\|`.
      const lines = (await readFile(join(DOCS, name), "utf8")).split("\n");
      const cells = (line: string) => line.match(/(?<!\\)\|/g)?.length ?? 0;
      const broken: string[] = [];
      let header = 0;
      lines.forEach((line, i) => {
        if (!line.startsWith("|")) header = 0;
        else if (header === 0) header = cells(line);
        else if (cells(line) !== header) broken.push(`${name}:${i + 1}`);
      });
      expect(broken).toEqual([]);
    },
  );

  it("docs/configuration.md names every TRAILPROOF_ variable the service, the CLI and the packages read", async () => {
    const documented = await readFile(join(DOCS, "configuration.md"), "utf8");
    const read = new Set<string>();
    for (const dir of ["apps/server/src", "apps/cli/src", "packages"]) {
      for (const file of await readdir(join(ROOT, dir), { recursive: true })) {
        if (
          !file.endsWith(".ts") ||
          file.endsWith(".test.ts") ||
          file.includes("node_modules") ||
          file.includes("dist/")
        )
          continue;
        const text = await readFile(join(ROOT, dir, file), "utf8");
        for (const [name] of text.matchAll(/\bTRAILPROOF_[A-Z0-9_]*[A-Z0-9]\b/g)) read.add(name);
      }
    }
    expect(read.size).toBeGreaterThan(20);
    expect([...read].filter((name) => !documented.includes(`\`${name}\``)).sort()).toEqual([]);
  });
});
