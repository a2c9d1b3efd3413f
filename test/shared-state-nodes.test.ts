// Two service nodes (two apps over two openDatabase pools) on one PostgreSQL
// database, as a load balancer would alternate between them: the rate limit
// and the sign-in throttle count requests to both, a sign-in started on one
// finishes on the other, a read recorded on one is not recorded again on
// the other within the minute, and a verification job is polled anywhere.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMasterKey, type DataDir, issueApiKey, openDatabase, provisionTenant } from "@trailproof/ledger";
import { buildApp, createMetrics, DEFAULT_CONFIG } from "@trailproof/server";
import type { FastifyInstance } from "fastify";
import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestDatabase,
  type TestDatabase,
} from "../packages/ledger/src/store/postgres/postgres-test-database.fixture.js";

const RATE_LIMIT = 30;
const PASSWORD = "correct horse battery staple";

let db: TestDatabase;
const nodes: DataDir[] = [];
let a: FastifyInstance;
let b: FastifyInstance;
let adminKey: string;
let tenantId: number;

beforeAll(async () => {
  db = await createTestDatabase();
  const masterKeyFile = join(mkdtempSync(join(tmpdir(), "trailproof-shared-")), "master.key");
  createMasterKey(masterKeyFile);
  for (let i = 0; i < 2; i++) {
    nodes.push(await openDatabase({ database: db.appUrl, masterKeyFile, checkpointIntervalMs: 100, poolSize: 4 }));
  }
  const config = { ...DEFAULT_CONFIG, rateLimitPerMinute: RATE_LIMIT };
  [a, b] = (await Promise.all(
    nodes.map((n) => buildApp({ ...n, config, metrics: createMetrics(), logger: false })),
  )) as [FastifyInstance, FastifyInstance];
  const first = nodes[0] as DataDir;
  const made = await provisionTenant(first.ledger, first.access, "acme", { createdBy: "test" });
  adminKey = made.adminKey;
  tenantId = made.tenant.tenantId;
});

afterAll(async () => {
  for (const app of [a, b]) await app?.close();
  for (const n of nodes) await n.ledger.close();
  await db?.drop();
});

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const code = (secret: string) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.now() });

async function freshKey(role: "viewer" | "auditor"): Promise<string> {
  const issued = await issueApiKey((nodes[0] as DataDir).access, { tenantId, role, name: role, createdBy: "test" });
  return issued.key;
}

async function addPerson(username: string): Promise<void> {
  const made = await a.inject({
    method: "POST",
    url: "/v1/people",
    headers: bearer(adminKey),
    payload: { username, display_name: username, role: "viewer", password: PASSWORD },
  });
  expect(made.statusCode).toBe(201);
}

const login = (app: FastifyInstance, username: string, password = PASSWORD) =>
  app.inject({ method: "POST", url: "/v1/auth/login", payload: { tenant: "acme", username, password } });

describe("two nodes share their short-lived state", () => {
  it("count one rate limit per key across both nodes", async () => {
    const key = await freshKey("viewer");
    const statuses: number[] = [];
    for (let i = 0; i < RATE_LIMIT + 2; i++) {
      const res = await (i % 2 === 0 ? a : b).inject({ method: "GET", url: "/v1/auth/session", headers: bearer(key) });
      statuses.push(res.statusCode);
    }
    // /v1/auth/session answers 401 for a key (no console session); what matters is where 429 starts.
    expect(statuses.slice(0, RATE_LIMIT).every((s) => s !== 429)).toBe(true);
    expect(statuses.slice(RATE_LIMIT)).toEqual([429, 429]);
  });

  it("finish a sign-in on the other node, spend its token once, and throttle failures made on both", async () => {
    await addPerson("ada");
    const first = (await login(a, "ada")).json();
    expect(first.next).toBe("enroll");
    const enrolled = await b.inject({
      method: "POST",
      url: "/v1/auth/enroll",
      payload: { login_token: first.login_token, code: code(first.secret) },
    });
    expect(enrolled.statusCode).toBe(200);
    const spent = await a.inject({
      method: "POST",
      url: "/v1/auth/enroll",
      payload: { login_token: first.login_token, code: code(first.secret) },
    });
    expect(spent.json().code).toBe("AUTH_INVALID");

    await addPerson("bob");
    // Five failures in all, split over both nodes, two of them at once.
    const failures = await Promise.all([login(a, "bob", "wrong 1"), login(b, "bob", "wrong 2")]);
    for (const f of failures) expect(f.json().code).toBe("AUTH_INVALID");
    for (let i = 0; i < 3; i++) expect((await login(i % 2 ? a : b, "bob", "wrong")).json().code).toBe("AUTH_INVALID");
    const blocked = await login(a, "bob", PASSWORD);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().code).toBe("RATE_LIMITED");
    expect((await login(b, "bob", PASSWORD)).statusCode).toBe(429);
  });

  it("record a repeated read once a minute, whichever node served it", async () => {
    const key = await freshKey("auditor");
    const ledger = (nodes[0] as DataDir).ledger;
    const before = await ledger.treeSize("acme");
    for (const app of [a, b, a, b]) {
      const res = await app.inject({ method: "GET", url: "/v1/log/checkpoint", headers: bearer(key) });
      expect(res.statusCode).toBe(200);
    }
    expect(await ledger.treeSize("acme")).toBe(before + 1);
  });

  it("answer a verification job's polls on the node that did not start it", async () => {
    const key = await freshKey("auditor");
    const started = await a.inject({ method: "POST", url: "/v1/log/verify", headers: bearer(key) });
    expect(started.statusCode).toBe(202);
    const joined = await b.inject({ method: "POST", url: "/v1/log/verify", headers: bearer(key) });
    const job = started.json() as { job_id: string; location: string };
    // While it runs the other node joins it; once it is done, a new request starts another.
    if ((joined.json() as { job_id: string }).job_id !== job.job_id) {
      const first = await b.inject({ method: "GET", url: job.location, headers: bearer(key) });
      expect(first.json()).toMatchObject({ status: "done" });
    }
    let polled: { status: string; report: { ok: boolean; tree_size: number } | null } | undefined;
    for (let i = 0; i < 100 && polled?.status !== "done"; i++) {
      const res = await b.inject({ method: "GET", url: job.location, headers: bearer(key) });
      expect(res.statusCode).toBe(200);
      polled = res.json();
      if (polled?.status !== "done") await new Promise((r) => setTimeout(r, 50));
    }
    expect(polled).toMatchObject({ status: "done", report: { ok: true } });
    expect(polled?.report?.tree_size).toBeGreaterThan(0);
  });
});
