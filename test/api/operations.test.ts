// Operating the service: health and readiness, Prometheus metrics behind the
// operator key, security headers, CORS off by default, request ids, and the
// OpenAPI 3.1 document listing every endpoint.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiFixture, buildApiFixture } from "./api-fixture.js";

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

describe("OpenAPI", () => {
  const ROUTES: [string, string][] = [
    ["post", "/v1/events"],
    ["get", "/v1/events"],
    ["get", "/v1/events/{id}"],
    ["get", "/v1/events/{id}/trace"],
    ["get", "/v1/targets/{type}/{id}/history"],
    ["get", "/v1/stats"],
    ["get", "/v1/log/checkpoint"],
    ["get", "/v1/log/key"],
    ["get", "/v1/log/entries"],
    ["get", "/v1/log/proof/inclusion"],
    ["get", "/v1/log/proof/consistency"],
    ["post", "/v1/log/verify"],
    ["get", "/v1/log/verify/{job}"],
    ["get", "/v1/export"],
    ["get", "/v1/schemas"],
    ["post", "/v1/schemas"],
    ["get", "/v1/schemas/{action}"],
    ["get", "/v1/keys"],
    ["post", "/v1/keys"],
    ["delete", "/v1/keys/{keyId}"],
    ["get", "/v1/settings"],
    ["patch", "/v1/settings"],
    ["post", "/v1/tenants"],
    ["get", "/v1/tenants"],
  ];

  it("/openapi.json is OpenAPI 3.1.0 and lists every /v1 operation, each behind the bearer scheme", async () => {
    const res = await f.request("GET", "/openapi.json");
    expect(res.statusCode).toBe(200);
    const doc = res.json() as {
      openapi: string;
      paths: Record<string, Record<string, { security?: unknown }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.securitySchemes.bearer).toEqual({ type: "http", scheme: "bearer" });
    const listed = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith("/v1/"))
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`));
    expect(listed).toEqual(expect.arrayContaining(ROUTES.map(([m, p]) => `${m} ${p}`)));
    for (const [method, path] of ROUTES) {
      expect(doc.paths[path]?.[method]?.security, `${method} ${path}`).toEqual([{ bearer: [] }]);
    }
  });
});
