// What the reliability suite provisions through the API before it starts
// (over real HTTP or app.inject alike): two tenants, acme (whose credentials
// the suite uses) and globex (the foreign tenant whose resources it names),
// each with a key of every role, events, people with console sessions, a
// viewer token, a schema, a verification job, and a marker string that only
// globex's events contain, so a leak of its data into acme's answers shows.
import { randomBytes } from "node:crypto";
import type { TenantRole } from "@trailproof/protocol";
import { sampleEvents } from "@trailproof/server";
import type { FastifyInstance } from "fastify";
import { generate } from "otplib";

export interface Reply {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  text: string;
}

export interface Call {
  method: string;
  path: string;
  key?: string;
  /** `tp_session=<value>` */
  cookie?: string;
  csrf?: string;
  /** Sent as JSON unless it is a string. */
  body?: unknown;
  headers?: Record<string, string>;
}

export type Send = (call: Call) => Promise<Reply>;

const PERSON_ROLES = ["viewer", "auditor", "admin"] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

export interface Session {
  username: string;
  role: PersonRole;
  cookie: string;
  csrf: string;
}

export interface TenantWorld {
  name: string;
  keys: Record<TenantRole, string>;
  keyIds: Record<TenantRole, string>;
  /** Every event the provisioning appended, in order. */
  eventIds: string[];
  /** An event that caused others (a trace has ancestors and descendants). */
  chainId: string;
  /** A target and an actor no other tenant has. */
  target: { type: string; id: string };
  actorId: string;
  /** An action schema no other tenant registered. */
  schemaAction: string;
  /** A person without a session, whom nothing else relies on. */
  person: string;
  /** A verification job this tenant started. */
  verifyJob: string;
  /** Signed-in people, by role. */
  sessions: Partial<Record<PersonRole, Session>>;
  /** More admin sessions, for cases that end a session (POST /v1/auth/logout). */
  spareSessions: Session[];
  viewerToken: string;
  /** A string in this tenant's event payloads and nowhere else. */
  marker: string;
}

export interface World {
  operator: string;
  acme: TenantWorld;
  globex: TenantWorld;
}

export interface WorldOptions {
  /** Sample events per tenant (a causation chain and the unique events come on top). */
  events: number;
  /** Sign in one person of each role (password and TOTP). */
  sessions: boolean;
  spareSessions: number;
}

export const PASSWORD = "reliability suite password";

/** Sends over real HTTP with fetch (setup and checks; the fuzzer's own requests go raw). */
export function fetchSend(baseUrl: string): Send {
  return async (call) => {
    const res = await fetch(`${baseUrl}${call.path}`, {
      method: call.method,
      headers: headersOf(call),
      ...(call.body === undefined
        ? {}
        : { body: typeof call.body === "string" ? call.body : JSON.stringify(call.body) }),
    });
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const setCookie = res.headers.getSetCookie();
    if (setCookie.length > 0) headers["set-cookie"] = setCookie.join(", ");
    return { status: res.status, headers, text: await res.text() };
  };
}

/** Sends through app.inject (the in-process app; no sockets). */
export function injectSend(app: FastifyInstance): Send {
  return async (call) => {
    const res = await app.inject({
      method: call.method as "GET",
      url: call.path,
      headers: headersOf(call),
      ...(call.body === undefined
        ? {}
        : { payload: typeof call.body === "string" ? call.body : JSON.stringify(call.body) }),
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : String(value);
    }
    return { status: res.statusCode, headers, text: res.body };
  };
}

function headersOf(call: Call): Record<string, string> {
  return {
    ...(call.key === undefined ? {} : { authorization: `Bearer ${call.key}` }),
    ...(call.cookie === undefined ? {} : { cookie: call.cookie }),
    ...(call.csrf === undefined ? {} : { "x-csrf-token": call.csrf }),
    ...(call.body === undefined || typeof call.body === "string" ? {} : { "content-type": "application/json" }),
    ...call.headers,
  };
}

/** `call`'s answer as JSON, asserting its status first. */
export async function expectJson<T = Record<string, unknown>>(send: Send, call: Call, status: number): Promise<T> {
  const res = await send(call);
  if (res.status !== status) {
    throw new Error(`${call.method} ${call.path}: expected ${status}, got ${res.status}: ${res.text.slice(0, 500)}`);
  }
  return JSON.parse(res.text) as T;
}

/** Adds a person and signs them in (password, then TOTP enrolment). */
export async function signIn(send: Send, tenant: TenantWorld, username: string, role: PersonRole): Promise<Session> {
  await expectJson(
    send,
    {
      method: "POST",
      path: "/v1/people",
      key: tenant.keys.admin,
      body: { username, display_name: username, role, password: PASSWORD },
    },
    201,
  );
  const login = await expectJson<{ login_token: string; secret: string }>(
    send,
    { method: "POST", path: "/v1/auth/login", body: { tenant: tenant.name, username, password: PASSWORD } },
    200,
  );
  const res = await send({
    method: "POST",
    path: "/v1/auth/enroll",
    body: { login_token: login.login_token, code: await generate({ secret: login.secret }) },
  });
  if (res.status !== 200) throw new Error(`enrolling ${username}: ${res.status} ${res.text.slice(0, 300)}`);
  const cookie = /tp_session=[^;,\s]+/.exec(res.headers["set-cookie"] ?? "")?.[0];
  if (!cookie) throw new Error(`enrolling ${username} set no session cookie`);
  return { username, role, cookie, csrf: (JSON.parse(res.text) as { csrf_token: string }).csrf_token };
}

async function provisionTenantWorld(
  send: Send,
  operator: string,
  name: string,
  seed: number,
  options: WorldOptions,
): Promise<TenantWorld> {
  const made = await expectJson<{ admin_key: string }>(
    send,
    { method: "POST", path: "/v1/tenants", key: operator, body: { name } },
    201,
  );
  const keys = { admin: made.admin_key } as Record<TenantRole, string>;
  const keyIds = {} as Record<TenantRole, string>;
  for (const role of ["ingest", "viewer", "auditor", "admin"] as const) {
    const created = await expectJson<{ key: string; key_id: string }>(
      send,
      { method: "POST", path: "/v1/keys", key: keys.admin, body: { role, name: `${role} key` } },
      201,
    );
    // The suite's admin key is a second one, so the first admin key stays untouched.
    keys[role] = created.key;
    keyIds[role] = created.key_id;
  }
  const marker = `${name}-only-${randomBytes(6).toString("hex")}`;
  const target = { type: "record", id: `rec_${name}_only` };
  const actorId = `usr_${name}_only`;
  const at = (s: number) => new Date(Date.UTC(2026, 10, 2, 9, 0, s)).toISOString();
  const chain = [
    {
      id: `${name}_root`,
      action: "record.update",
      occurred_at: at(0),
      actor: { type: "user", id: actorId, name: "Only Here" },
      target,
      message: marker,
      metadata: { marker },
      change: { before: { score: 0 }, after: { score: 1 } },
    },
    ...[1, 2].map((s) => ({
      id: `${name}_step_${s}`,
      action: "record.update",
      occurred_at: at(s),
      actor: { type: "automation", id: `wf_${name}` },
      target,
      automation: { origin: "workflow", workflow_id: `wf_${name}`, run_id: `run_${name}`, caused_by: `${name}_root` },
      metadata: { marker },
      change: { before: { score: s }, after: { score: s + 1 } },
    })),
  ];
  const events = [...sampleEvents(options.events, { seed, idPrefix: name }), ...chain];
  const ingested = await expectJson<{ results: { id: string; status: string }[] }>(
    send,
    { method: "POST", path: "/v1/events", key: keys.ingest, body: { events } },
    200,
  );
  const refused = ingested.results.filter((r) => r.status !== "created");
  if (refused.length > 0) throw new Error(`provisioning events were refused: ${JSON.stringify(refused[0])}`);

  const schemaAction = `${name}.only.thing`;
  await expectJson(
    send,
    {
      method: "POST",
      path: "/v1/schemas",
      key: keys.admin,
      body: { action: schemaAction, version: 1, kind: "update", category: "configuration", defaultRisk: "low" },
    },
    201,
  );
  const person = `${name}-person`;
  await expectJson(
    send,
    {
      method: "POST",
      path: "/v1/people",
      key: keys.admin,
      body: { username: person, display_name: person, role: "viewer", password: PASSWORD },
    },
    201,
  );
  const job = await expectJson<{ job_id: string }>(
    send,
    { method: "POST", path: "/v1/log/verify", key: keys.auditor },
    202,
  );
  const token = await expectJson<{ token: string }>(
    send,
    {
      method: "POST",
      path: "/v1/viewer-tokens",
      key: keys.admin,
      body: { viewer: { id: "customer-1" }, ttl_seconds: 3600 },
    },
    201,
  );
  const world: TenantWorld = {
    name,
    keys,
    keyIds,
    eventIds: ingested.results.map((r) => r.id),
    chainId: `${name}_step_1`,
    target,
    actorId,
    schemaAction,
    person,
    verifyJob: job.job_id,
    sessions: {},
    spareSessions: [],
    viewerToken: token.token,
    marker,
  };
  if (options.sessions) {
    for (const role of PERSON_ROLES) world.sessions[role] = await signIn(send, world, `${role}-${name}`, role);
    for (let i = 0; i < options.spareSessions; i++) {
      world.spareSessions.push(await signIn(send, world, `spare-${i}-${name}`, "admin"));
    }
  }
  return world;
}

/** acme with sessions (the suite's credentials), globex without (it is only ever named). */
export async function provisionWorld(send: Send, operator: string, options: WorldOptions): Promise<World> {
  return {
    operator,
    acme: await provisionTenantWorld(send, operator, "acme", 7, options),
    globex: await provisionTenantWorld(send, operator, "globex", 11, { ...options, sessions: false, spareSessions: 0 }),
  };
}

/** Tree size of every tenant, as the operator sees it (GET /v1/tenants writes nothing). */
export async function treeSizes(send: Send, operator: string): Promise<Map<string, number>> {
  const body = await expectJson<{ tenants: { tenant: string; tree_size: number }[] }>(
    send,
    { method: "GET", path: "/v1/tenants", key: operator },
    200,
  );
  return new Map(body.tenants.map((t) => [t.tenant, t.tree_size]));
}
