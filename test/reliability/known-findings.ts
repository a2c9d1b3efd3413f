// Fuzzer findings marked expected-to-be-fixed: each names the finding, how to
// reproduce it, and the work that fixes it. A marked failure is printed in
// every run but does not fail it. A reproducible mark whose cases ran without
// it ever failing is stale and fails the run, so it goes with its fix; the
// others (timing- or input-dependent) are only reported as not seen.
import type { FuzzCase } from "./fuzz-case.js";

export interface KnownFinding {
  id: string;
  /** The finding, and what fixes it. */
  reason: string;
  /** The case is of the kind this finding concerns. */
  applies(c: FuzzCase): boolean;
  /** This failure of the case is the finding. */
  matches(c: FuzzCase, failure: { kind: string; detail: string; status: number | null }): boolean;
  /** Most cases it applies to fail while it is unfixed: twenty of them passing means it is fixed. */
  reproducible: boolean;
}

const pathOf = (c: FuzzCase) => c.request.target.toString("latin1").split("?")[0] ?? "";

export const KNOWN_FINDINGS: readonly KnownFinding[] = [
  {
    // printf 'GET /v1/events HTTP/1.1\r\nX-Nul: a\0b\r\n\r\n' | nc 127.0.0.1 8080
    //   -> 400 {"error":"Bad Request","message":"Client Error","statusCode":400} as application/json
    // Also: 431 for a 20 kB header, an empty 400 without Host, an empty 417 for an unknown Expect,
    // and CONNECT, which Node drops without an answer (no 'connect' listener).
    id: "node-level-errors",
    reason:
      "Node's HTTP server answers these before any route, with Fastify's default JSON body or none; issue 10 'Strict input' (every HTTP error is problem+json, including those Node's parser produces) is being fixed in apps/server/src/app.ts and http/",
    applies: (c) => c.nodeLevel,
    matches: (c, f) => c.nodeLevel && (f.kind === "not-problem-json" || f.kind === "dropped"),
    reproducible: true,
  },
  {
    // curl -i 'http://127.0.0.1:8080/docs/static/....//....//'   -> 500 INTERNAL
    // @fastify/static refuses the path with FST_STATIC_FORBIDDEN_PATH (statusCode 403), which
    // http/problem.ts does not map, so it becomes a logged 500; an ENAMETOOLONG name does the same.
    id: "static-forbidden-path-500",
    reason:
      "a path @fastify/static refuses under /docs/static/ becomes 500 INTERNAL (http/problem.ts maps no plugin 4xx); the problem mapping in apps/server/src/http is being reworked for issue 10",
    applies: (c) => pathOf(c).startsWith("/docs/static/"),
    matches: (c, f) => pathOf(c).startsWith("/docs/static/") && f.kind === "5xx" && f.status === 500,
    reproducible: false,
  },
  {
    // Append one event, wait 11 s, append another, GET /readyz at once:
    //   -> 503 {"status":"not ready","problems":["tenant acme: checkpoint is stale"]}, ready again a second later.
    // routes/health-routes.ts measures the age of the last checkpoint, not of the oldest unsigned entry.
    id: "readyz-stale-after-quiet",
    reason:
      "/readyz answers 503 'checkpoint is stale' for up to one publishing interval after the first write that follows 10 s without writes (apps/server/src/routes/health-routes.ts; reported with issue 10's reliability suite)",
    applies: (c) => c.route.endsWith(" /readyz"),
    matches: (c, f) => c.route.endsWith(" /readyz") && f.kind === "5xx" && f.status === 503,
    reproducible: false,
  },
  {
    // curl -i -H "authorization: Bearer $VIEWER" 'http://127.0.0.1:8080/v1/automations?days=Infinity'   -> 500
    //   (RangeError: Invalid time value); 'days=1e309' and 'days=-Infinity' too.
    // Ajv, coercing the query string (coerceTypes, `x == +x`), lets Infinity through
    // `Type.Integer({ maximum: 90 })`, and reads 0x10 as 16 and 1e1 as 10 (GET
    // /v1/log/entries?start=0x10&end=42 answers entries 16-41); min_index=Infinity holds 5 s, then
    // 503 (below). Belongs to issue 10's strict input (the app's Ajv options).
    id: "integer-query-infinity",
    reason:
      "integer query parameters accept Infinity, 1e309, 0x10 and 1e1 (Ajv coercion in apps/server/src/app.ts), so GET /v1/automations?days=Infinity fails with a 500; reported with issue 10's reliability suite",
    applies: (c) => /[?&]days=(-?Infinity|1e309)/.test(c.request.target.toString("latin1")),
    matches: (c, f) => /[?&]days=/.test(c.request.target.toString("latin1")) && f.kind === "5xx" && f.status === 500,
    reproducible: true,
  },
  {
    // curl -i -H "authorization: Bearer $VIEWER" 'http://127.0.0.1:8080/v1/events?min_index=99999999'
    //   -> holds the request 5 s, then 503 SERVICE_UNAVAILABLE "the search does not cover index ... yet; retry shortly".
    // An index beyond the log's size names no entry and never will until the log grows: a 4xx, not a
    // retry invitation (routes/read-your-writes.ts). min_index=Infinity does the same.
    id: "min-index-beyond-log-503",
    reason:
      "a min_index beyond the log's size waits 5 s and answers 503 with Retry-After instead of a 4xx (apps/server/src/routes/read-your-writes.ts); reported with issue 10's reliability suite",
    applies: (c) => /[?&]min_index=/.test(c.request.target.toString("latin1")),
    matches: (c, f) =>
      /[?&]min_index=/.test(c.request.target.toString("latin1")) &&
      f.kind === "5xx" &&
      /does not cover index/.test(f.detail),
    reproducible: false,
  },
];
