// One hostile request, built from a seed and its case number: a route of the
// table (or no route at all), a method, a target with filled and hostile path
// parameters and query strings, headers (credentials of every kind, odd media
// types, broken framing) and a body (valid, or mutated by hostile-values.ts).
// The same seed and number give the same request shape on every run.
import { randomBytes } from "node:crypto";
import { seededRandom } from "@trailproof/core";
import { seedBody, validEvent } from "./fuzz-bodies.js";
import { fuzzCredential, HEADER_MUTATIONS } from "./fuzz-headers.js";
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
import type { RouteTarget } from "./route-targets.js";
import type { Session, World } from "./world.js";

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
  const cred = fuzzCredential(rng, ctx.world, route);
  const headers: [string, string | Buffer][] = [["host", ctx.host], ["connection", "close"], ...cred.headers];

  let body: Buffer | undefined;
  let strict: string | undefined;
  let eventBody = false;
  const wantsBody = BODY_METHODS.has(method) ? chance(rng, 0.9) : chance(rng, 0.05);
  if (wantsBody && target) {
    const seedValue = seedBody(rng, target, ctx.world, unique);
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
