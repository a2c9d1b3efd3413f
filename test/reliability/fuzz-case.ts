// One hostile request, built from a seed and its case number: a route of the
// table (or no route at all), a method, a target with filled and hostile path
// parameters and query strings, headers (credentials of every kind, odd media
// types, broken framing) and a body (valid, or mutated by hostile-values.ts).
// The same seed and number give the same request shape on every run.
import { randomBytes } from "node:crypto";
import { seededRandom } from "@trailproof/core";
import {
  CONTENT_TYPES,
  chance,
  GENERIC_QUERY_NAMES,
  HOSTILE_QUERY_VALUES,
  HOSTILE_SEGMENTS,
  intBetween,
  mutateBody,
  pick,
  type Rng,
} from "./hostile-values.js";
import type { RawRequest } from "./raw-http.js";
import type { JsonSchema, RouteTarget } from "./route-targets.js";
import { PASSWORD, type Session, type World } from "./world.js";

export interface FuzzCase {
  index: number;
  /** The route the case aims at ("METHOD /url"), or "(no route)". */
  route: string;
  /** What was done to the request, for the report. */
  labels: string[];
  credential: string;
  /** Why strict input requires this request to be refused, when it does. */
  strict: string | undefined;
  /** The target walks out of its directory: a 2xx must not serve a file from outside. */
  traversal: boolean;
  /** A well-framed POST /v1/events: the log grows by exactly its created results. */
  ingest: boolean;
  /**
   * Node's HTTP server answers (or drops) it before any route runs: bytes its
   * parser refuses, a missing Host, CONNECT, an Expect it does not know.
   */
  nodeLevel: boolean;
  /** The session this case may end (POST /v1/auth/logout), which the suite stops using. */
  endsSession: Session | undefined;
  request: RawRequest;
  head: boolean;
}

export interface FuzzContext {
  targets: readonly RouteTarget[];
  world: World;
  /** host:port of the service. */
  host: string;
}

const ODD_METHODS = [
  "GET",
  "POST",
  "PUT",
  "PATCH",
  "DELETE",
  "HEAD",
  "OPTIONS",
  "TRACE",
  "PROPFIND",
  "PURGE",
  "SEARCH",
];
const UNPARSEABLE_METHODS = ["FOO", "get", "G ET", "GET\u0000", "CONNECT", "PRI", "M".repeat(300)];
const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const UNROUTED = [
  "/v2/events",
  "/v1",
  "/v1/",
  "/v1/events/",
  "/V1/EVENTS",
  "/v1//events",
  "/v1/./events",
  "/v1/events/../tenants",
  "/v1/%2e%2e/tenants",
  "/.env",
  "/.git/config",
  "/admin",
  "/assets/../../package.json",
  "/assets/..%2f..%2fpackage.json",
  "/docs/static/..%2f..%2f..%2fpackage.json",
  "/docs/static/../../../../etc/passwd",
  "/%2e%2e/%2e%2e/etc/passwd",
  "/index.html%00.js",
  "/embed",
  "/sign-in",
  "*",
];

/** A seeded generator per case, independent of every other case. */
export function caseRng(seed: number, index: number): Rng {
  return seededRandom((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);
}

/** A minimal instance of a JSON schema (OpenAPI's request body): required members, first alternatives. */
export function instanceOf(schema: JsonSchema | undefined, depth = 0): unknown {
  if (!schema || depth > 6) return {};
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const alternatives = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (alternatives?.[0]) return instanceOf(alternatives[0], depth + 1);
  switch (schema.type) {
    case "object": {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const required = (schema.required ?? []) as string[];
      return Object.fromEntries(required.map((name) => [name, instanceOf(properties[name], depth + 1)]));
    }
    case "array":
      return [];
    case "integer":
    case "number":
      return typeof schema.minimum === "number" ? schema.minimum : 1;
    case "boolean":
      return true;
    case "string":
      return "x".repeat(typeof schema.minLength === "number" ? schema.minLength : 1);
    default:
      return {};
  }
}

function validEvent(rng: Rng, id: string, world: World): Record<string, unknown> {
  return {
    id,
    action: pick(rng, ["app.update", "app.page.update", "record.update", "user.login"]),
    occurred_at: new Date(Date.UTC(2026, 10, 3, 12, 0, intBetween(rng, 0, 59))).toISOString(),
    actor: { type: "user", id: pick(rng, ["usr_fuzz", world.acme.actorId, world.globex.actorId]) },
    target: pick(rng, [{ type: "app", id: "app_fuzz" }, world.acme.target, world.globex.target]),
    ...(chance(rng, 0.3) ? { context: { ip: "203.0.113.9", environment: "production" } } : {}),
    ...(chance(rng, 0.3) ? { change: { before: { a: 1 }, after: { a: 2 } } } : {}),
    ...(chance(rng, 0.2) ? { tags: ["fuzz"] } : {}),
  };
}

/** A well-formed body for the route (the seed that mutations start from). */
function seedBody(rng: Rng, target: RouteTarget, ctx: FuzzContext, unique: string): unknown {
  const { world } = ctx;
  switch (target.name) {
    case "POST /v1/events":
      return validEvent(rng, pick(rng, [`fz_${unique}`, `fz_${unique}`, ...world.globex.eventIds.slice(0, 3)]), world);
    case "POST /v1/tenants":
      return { name: `fz-${unique}`, ...(chance(rng, 0.3) ? { unknown_actions: "accept" } : {}) };
    case "POST /v1/keys":
      return { role: pick(rng, ["ingest", "viewer", "auditor", "admin"]), name: `fuzz ${unique}` };
    case "POST /v1/people":
      return { username: `fz${unique}`, display_name: "Fuzz", role: "viewer", password: PASSWORD };
    case "PATCH /v1/settings":
      return { unknown_actions: pick(rng, ["reject", "accept"]) };
    case "POST /v1/viewer-tokens":
      return {
        viewer: { id: `v_${unique}` },
        ...(chance(rng, 0.3) ? { filter: { actor_id: world.acme.actorId } } : {}),
      };
    case "POST /v1/schemas":
      return { action: `fz.thing${unique}`, version: 1, kind: "update", category: "configuration", defaultRisk: "low" };
    case "POST /v1/auth/login":
      return {
        tenant: pick(rng, ["acme", "globex", "nowhere"]),
        username: pick(rng, ["viewer-acme", "admin-acme", "nobody", world.globex.person]),
        password: pick(rng, [PASSWORD, "wrong password"]),
      };
    case "POST /v1/auth/enroll":
    case "POST /v1/auth/totp":
      return { login_token: randomBytes(24).toString("base64url"), code: pick(rng, ["000000", "123456", "abc"]) };
    case "POST /v1/auth/recover":
      return { login_token: randomBytes(24).toString("base64url"), recovery_code: "abcd-efgh-ijkl" };
    default:
      return instanceOf(target.body);
  }
}

/** A path parameter: a real value of acme or globex, or a hostile one. */
function paramValue(rng: Rng, route: string, name: string, ctx: FuzzContext): string {
  if (chance(rng, 0.45)) return pick(rng, HOSTILE_SEGMENTS);
  const { acme, globex } = ctx.world;
  const enc = encodeURIComponent;
  if (route.includes("/targets/")) {
    if (name === "type") return pick(rng, ["record", "page", "app", acme.target.type]);
    return enc(pick(rng, [acme.target.id, globex.target.id, "page_1", "rec_chain"]));
  }
  switch (name) {
    case "job":
      return pick(rng, [acme.verifyJob, globex.verifyJob, randomBytes(8).toString("hex")]);
    case "action":
      return enc(pick(rng, [acme.schemaAction, globex.schemaAction, "app.page.update", "user.login"]));
    case "keyId":
      // Never one of acme's own keys: the suite would revoke the credentials it fuzzes with.
      return pick(rng, [...Object.values(globex.keyIds), randomBytes(8).toString("hex")]);
    case "username":
      // Never one of acme's signed-in people, for the same reason.
      return enc(pick(rng, [globex.person, "nobody", acme.person]));
    case "*":
      return pick(rng, ["swagger-ui.css", "index.html", "swagger-initializer.js", "nothing.js"]);
    default:
      return enc(pick(rng, [...acme.eventIds.slice(0, 5), acme.chainId, ...globex.eventIds.slice(0, 3), "nowhere"]));
  }
}

function queryValue(rng: Rng, name: string, ctx: FuzzContext): string {
  if (chance(rng, 0.5)) return pick(rng, HOSTILE_QUERY_VALUES);
  const { acme, globex } = ctx.world;
  switch (name) {
    case "limit":
      return String(intBetween(rng, 1, 60));
    case "start":
    case "index":
    case "from":
      return String(intBetween(rng, 0, 40));
    case "end":
    case "size":
    case "to":
      return String(intBetween(rng, 1, 80));
    case "order":
      return pick(rng, ["asc", "desc"]);
    case "actor_id":
      return pick(rng, [acme.actorId, globex.actorId]);
    case "q":
      // Never globex's marker: acme's meta-audit records what acme asked, and the leak check reads acme's answers.
      return encodeURIComponent(pick(rng, [`actor:${globex.actorId}`, "action:app.* risk:high", '"checkout page"']));
    default:
      return encodeURIComponent(pick(rng, ["record.update", "2026-11-02T09:00:00Z", acme.eventIds[0] ?? "x"]));
  }
}

function buildQuery(rng: Rng, target: RouteTarget | undefined, ctx: FuzzContext, labels: string[]): string {
  if (chance(rng, 0.08)) {
    const odd = pick(rng, [
      "?",
      "?&&&",
      "?a",
      "?=x",
      "?a=1&a=2&a=3",
      "?a[]=1&a[]=2",
      "?a[b][c]=1",
      "?%",
      "?%zz=1",
      "?#x",
    ]);
    labels.push(`query:${odd}`);
    return odd;
  }
  const names = target?.query ?? [];
  const count = names.length === 0 ? (chance(rng, 0.2) ? 1 : 0) : intBetween(rng, 0, 3);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = names.length > 0 && chance(rng, 0.8) ? pick(rng, names) : pick(rng, GENERIC_QUERY_NAMES);
    parts.push(`${encodeURIComponent(name)}=${queryValue(rng, name, ctx)}`);
  }
  if (parts.length > 0) labels.push(`query:${parts.length}`);
  return parts.length > 0 ? `?${parts.join("&")}` : "";
}

interface Credential {
  label: string;
  headers: [string, string | Buffer][];
  session?: Session;
}

function credential(rng: Rng, ctx: FuzzContext, route: string): Credential {
  const { acme } = ctx.world;
  const bearer = (value: string): [string, string] => ["authorization", `Bearer ${value}`];
  const withSession = (s: Session, csrf: boolean): [string, string][] => [
    ["cookie", s.cookie],
    ...(csrf ? [["x-csrf-token", s.csrf] as [string, string]] : []),
  ];
  const choice = pick(rng, [
    "none",
    "ingest",
    "viewer",
    "auditor",
    "admin",
    "operator",
    "session:viewer",
    "session:admin",
    "session:auditor",
    "session:admin,no-csrf",
    "viewer-token",
    "hostile",
  ]);
  switch (choice) {
    case "none":
      return { label: choice, headers: [] };
    case "ingest":
    case "viewer":
    case "auditor":
    case "admin":
      return { label: choice, headers: [bearer(acme.keys[choice])] };
    case "operator":
      return { label: choice, headers: [bearer(ctx.world.operator)] };
    case "viewer-token":
      return { label: choice, headers: [bearer(acme.viewerToken)] };
    case "session:admin,no-csrf": {
      const s = acme.sessions.admin as Session;
      return { label: choice, headers: withSession(s, false) };
    }
    case "hostile":
      return hostileCredential(rng, ctx);
    default: {
      const role = choice.slice("session:".length) as "viewer" | "auditor" | "admin";
      // Ending a session uses a spare one, so the suite's own sessions stay signed in.
      if (route === "POST /v1/auth/logout") {
        const spare = acme.spareSessions.shift();
        if (spare) return { label: `${choice} (spare)`, headers: withSession(spare, true), session: spare };
        return {
          label: `${choice} (revoked)`,
          headers: [["cookie", "tp_session=revokedrevokedrevokedrevokedrevokedrevoked1"]],
        };
      }
      return { label: choice, headers: withSession(acme.sessions[role] as Session, true) };
    }
  }
}

function hostileCredential(rng: Rng, ctx: FuzzContext): Credential {
  const { acme } = ctx.world;
  const options: [string, [string, string | Buffer][]][] = [
    ["bearer-garbage", [["authorization", `Bearer ${randomBytes(24).toString("base64")}`]]],
    ["bearer-empty", [["authorization", "Bearer "]]],
    ["basic", [["authorization", "Basic YWRtaW46YWRtaW4="]]],
    ["unknown-tpk", [["authorization", `Bearer tpk_0123456789abcdef_${"A".repeat(43)}`]]],
    ["unknown-tpv", [["authorization", `Bearer tpv_0123456789abcdef_${"A".repeat(43)}`]]],
    ["wrong-secret", [["authorization", `Bearer ${acme.keys.admin.slice(0, 21)}${"B".repeat(43)}`]]],
    ["long-token", [["authorization", `Bearer ${"x".repeat(5000)}`]]],
    ["lowercase-scheme", [["authorization", `bearer ${acme.keys.viewer}`]]],
    ["tab-separated", [["authorization", `Bearer\t${acme.keys.viewer}`]]],
    [
      "two-authorizations",
      [
        ["authorization", `Bearer ${acme.keys.viewer}`],
        ["authorization", `Bearer ${acme.keys.admin}`],
      ],
    ],
    ["latin1-token", [["authorization", Buffer.concat([Buffer.from("Bearer tpk_"), Buffer.from([0xff, 0xfe, 0xe9])])]]],
    ["cookie-garbage", [["cookie", "tp_session=%%%; tp_session=../../x"]]],
    ["cookie-huge", [["cookie", `tp_session=${"a".repeat(8000)}`]]],
    [
      "cookie-and-bearer",
      [
        ["cookie", (acme.sessions.admin as Session).cookie],
        ["authorization", "Bearer nonsense"],
      ],
    ],
    [
      "csrf-wrong",
      [
        ["cookie", (acme.sessions.admin as Session).cookie],
        ["x-csrf-token", "wrong"],
      ],
    ],
  ];
  const [label, headers] = pick(rng, options);
  return { label: `hostile:${label}`, headers };
}

/** Header mutations; `nodeLevel` ones are answered by Node's HTTP server before any route runs. */
const HEADER_MUTATIONS: { label: string; nodeLevel: boolean; apply: (h: [string, string | Buffer][]) => void }[] = [
  { label: "accept:text/html", nodeLevel: false, apply: (h) => h.push(["accept", "text/html"]) },
  { label: "accept:problem", nodeLevel: false, apply: (h) => h.push(["accept", "application/problem+json"]) },
  { label: "accept:garbage", nodeLevel: false, apply: (h) => h.push(["accept", "}{;q=x, */*;q=2"]) },
  { label: "request-id:odd", nodeLevel: false, apply: (h) => h.push(["x-request-id", "../../\u00ff".repeat(60)]) },
  { label: "x-forwarded-for", nodeLevel: false, apply: (h) => h.push(["x-forwarded-for", "1.2.3.4, ::1, garbage"]) },
  { label: "user-agent:huge", nodeLevel: false, apply: (h) => h.push(["user-agent", "ua".repeat(3000)]) },
  { label: "expect:100-continue", nodeLevel: false, apply: (h) => h.push(["expect", "100-continue"]) },
  { label: "expect:unknown", nodeLevel: true, apply: (h) => h.push(["expect", "the-unexpected"]) },
  { label: "content-encoding:gzip", nodeLevel: false, apply: (h) => h.push(["content-encoding", "gzip"]) },
  { label: "upgrade:websocket", nodeLevel: false, apply: (h) => h.push(["upgrade", "websocket"]) },
  {
    label: "many-headers",
    nodeLevel: false,
    apply: (h) => h.push(...Array.from({ length: 300 }, (_, i): [string, string] => [`x-h${i}`, "v"])),
  },
  { label: "origin:evil", nodeLevel: false, apply: (h) => h.push(["origin", "https://evil.example"]) },
  { label: "no-host", nodeLevel: true, apply: (h) => removeHeader(h, "host") },
  { label: "two-hosts", nodeLevel: true, apply: (h) => h.push(["host", "evil.example"]) },
  { label: "header:NUL", nodeLevel: true, apply: (h) => h.push(["x-nul", Buffer.from([0x61, 0x00, 0x62])]) },
  { label: "header:bare-CR", nodeLevel: true, apply: (h) => h.push(["x-cr", Buffer.from([0x61, 0x0d, 0x62])]) },
  { label: "header:space-in-name", nodeLevel: true, apply: (h) => h.push(["x bad", "v"]) },
  { label: "header:obs-fold", nodeLevel: true, apply: (h) => h.push(["x-fold", "a\r\n  b"]) },
  { label: "header:huge", nodeLevel: true, apply: (h) => h.push(["x-huge", "h".repeat(20_000)]) },
];

function removeHeader(headers: [string, string | Buffer][], name: string): void {
  for (let i = headers.length - 1; i >= 0; i--) if (headers[i]?.[0].toLowerCase() === name) headers.splice(i, 1);
}

/** Builds case `index` of `seed`. */
export function buildFuzzCase(seed: number, index: number, ctx: FuzzContext): FuzzCase {
  const rng = caseRng(seed, index);
  const labels: string[] = [];
  const unique = `${seed.toString(36)}x${index.toString(36)}`;
  const routed = ctx.targets.filter((t) => !t.consoleFile);
  const consoleFiles = ctx.targets.filter((t) => t.consoleFile);
  // Console files are many and alike: together they weigh as one route.
  const roll = rng();
  const target: RouteTarget | undefined =
    roll < 0.04 ? undefined : roll < 0.06 && consoleFiles.length > 0 ? pick(rng, consoleFiles) : pick(rng, routed);

  let method = target?.method ?? pick(rng, ["GET", "POST"]);
  if (chance(rng, 0.15)) {
    method = pick(rng, ODD_METHODS);
    labels.push(`method:${method}`);
  }
  let nodeLevel = false;
  if (chance(rng, 0.015)) {
    method = pick(rng, UNPARSEABLE_METHODS);
    labels.push(`method:${JSON.stringify(method.slice(0, 20))}`);
    nodeLevel = true;
  }

  let path: string;
  if (target) {
    path = target.url.replace(/:([A-Za-z0-9_]+)|\*/g, (_, name: string | undefined) =>
      paramValue(rng, target.name, name ?? "*", ctx),
    );
    if (target.params.length > 0) labels.push(`params:${path}`.slice(0, 120));
  } else {
    path = pick(rng, UNROUTED);
    labels.push(`unrouted:${path}`);
  }
  let rawTarget: string | Buffer = `${path}${buildQuery(rng, target, ctx, labels)}`;
  if (chance(rng, 0.03)) {
    const odd = pick(rng, ["absolute-form", "raw-utf8", "raw-space", "very-long", "fragment"]);
    labels.push(`target:${odd}`);
    if (odd === "absolute-form") rawTarget = `http://${ctx.host}${rawTarget}`;
    else if (odd === "raw-utf8") rawTarget = Buffer.concat([Buffer.from(path), Buffer.from("/é‮", "utf8")]);
    else if (odd === "raw-space") rawTarget = `${path}/a b`;
    else if (odd === "very-long") rawTarget = `${path}?q=${"a".repeat(70_000)}`;
    else rawTarget = `${path}#fragment`;
    // Raw bytes in the target break the request line; 70 kB of it overflows the header limit (431).
    nodeLevel ||= odd === "raw-space" || odd === "raw-utf8" || odd === "very-long";
  }
  const traversal = /\.\.|%2e%2e/i.test(rawTarget.toString("latin1"));

  const route = target?.name ?? "(no route)";
  const cred = credential(rng, ctx, route);
  const headers: [string, string | Buffer][] = [["host", ctx.host], ["connection", "close"], ...cred.headers];

  let body: Buffer | undefined;
  let strict: string | undefined;
  let eventBody = false;
  const wantsBody = BODY_METHODS.has(method) ? chance(rng, 0.9) : chance(rng, 0.05);
  if (wantsBody && target) {
    const seedValue = seedBody(rng, target, ctx, unique);
    eventBody = target.name === "POST /v1/events";
    let json = JSON.stringify(seedValue);
    if (chance(rng, 0.55)) {
      const mutation = mutateBody(rng, json, eventBody);
      labels.push(mutation.label);
      body = mutation.bytes;
      if (mutation.strict) strict = mutation.label;
    } else {
      if (eventBody && chance(rng, 0.25)) {
        const events = Array.from({ length: intBetween(rng, 2, 6) }, (_, k) =>
          validEvent(rng, `fz_${unique}_${k}`, ctx.world),
        );
        json = JSON.stringify({ events });
        labels.push(`body:batch-of-${events.length}`);
      } else labels.push("body:valid");
      body = Buffer.from(json);
    }
    if (chance(rng, 0.003)) {
      body = Buffer.from(`{"metadata":{"pad":"${"p".repeat(5 * 1024 * 1024 + 10)}"}}`);
      labels.push("body:over-max-size");
      strict = undefined;
    }
  } else if (wantsBody) {
    body = Buffer.from('{"a":1}');
    labels.push("body:small");
  }

  let bodyDelivered = body !== undefined;
  if (body !== undefined) {
    let type = "application/json";
    if (chance(rng, 0.15)) {
      const ct = pick(rng, CONTENT_TYPES);
      type = ct.value;
      labels.push(`content-type:${ct.value.slice(0, 40)}`);
      if (ct.strict && !strict) strict = `content-type:${ct.value}`;
    }
    if (type !== "" || chance(rng, 0.5)) headers.push(["content-type", type]);
    const framingRoll = rng();
    if (framingRoll < 0.03) {
      const chunked = Buffer.concat([
        Buffer.from(`${body.length.toString(16)}\r\n`),
        body,
        Buffer.from("\r\n0\r\n\r\n"),
      ]);
      headers.push(["transfer-encoding", "chunked"]);
      body = chunked;
      labels.push("framing:chunked");
    } else if (framingRoll < 0.045) {
      headers.push(["transfer-encoding", "chunked"], ["content-length", String(body.length)]);
      labels.push("framing:te+cl");
      nodeLevel = true;
      bodyDelivered = false;
    } else if (framingRoll < 0.055) {
      headers.push(["transfer-encoding", "chunked"]);
      body = Buffer.concat([Buffer.from("zz\r\n"), body, Buffer.from("\r\n0\r\n\r\n")]);
      labels.push("framing:bad-chunk-size");
      nodeLevel = true;
      bodyDelivered = false;
    } else if (framingRoll < 0.065) {
      headers.push(["content-length", String(body.length)], ["content-length", String(body.length + 1)]);
      labels.push("framing:two-content-lengths");
      nodeLevel = true;
      bodyDelivered = false;
    } else if (framingRoll < 0.075) {
      headers.push(["content-length", pick(rng, ["-1", "abc", "1e3", "0x10"])]);
      labels.push("framing:bad-content-length");
      nodeLevel = true;
      bodyDelivered = false;
    } else if (framingRoll < 0.085) {
      // No length at all: the body bytes read as a second, garbage request, which Node answers.
      labels.push("framing:no-length");
      nodeLevel = true;
      bodyDelivered = false;
    } else {
      headers.push(["content-length", String(body.length)]);
    }
  }

  if (chance(rng, 0.12)) {
    const mutation = pick(rng, HEADER_MUTATIONS);
    mutation.apply(headers);
    labels.push(`header:${mutation.label}`);
    nodeLevel ||= mutation.nodeLevel;
  }
  let version = "HTTP/1.1";
  if (chance(rng, 0.01)) {
    version = pick(rng, ["HTTP/1.0", "HTTP/2.0", "HTTP/1.2", "HTTP/9", "http/1.1"]);
    labels.push(`version:${version}`);
    nodeLevel ||= version !== "HTTP/1.0";
  }

  // Strict input concerns a body the JSON parser reads: one sent whole, by a method Fastify parses bodies for.
  if (!bodyDelivered || !BODY_METHODS.has(method) || nodeLevel) strict = undefined;
  return {
    index,
    route,
    labels,
    credential: cred.label,
    strict,
    traversal,
    ingest: target?.name === "POST /v1/events" && method === "POST" && bodyDelivered && !nodeLevel,
    nodeLevel,
    endsSession: cred.session,
    request: { method, target: rawTarget, headers, ...(body === undefined ? {} : { body }), version },
    head: method === "HEAD",
  };
}
