// The decision-log events OPA's decision log plugin uploads (EventV1 of
// open-policy-agent/opa v1/plugins/logs/plugin.go): a JSON array, gzip
// compressed, one element per decision. Only the fields the mapping reads are
// typed; each is checked for its type here, so the mapping can trust them.
import type { Problem } from "@trailproof/core";
import { HttpProblem } from "../../http/problem.js";
import { isObject as isRecord, isStrings } from "../mapping/json-guards.js";

/** One decision as OPA sends it (untrusted; shapes checked by parseOpaDecisions). */
export interface OpaDecision {
  labels: Record<string, string>;
  decision_id: string;
  trace_id?: string;
  span_id?: string;
  /** Deprecated by OPA in favour of bundles. */
  revision?: string;
  bundles?: Record<string, { revision?: string }>;
  /** The policy's data path without `data/`, e.g. `http/example/authz/allow`. */
  path?: string;
  /** An ad-hoc query, when the decision was not asked of a path. */
  query?: string;
  input?: unknown;
  result?: unknown;
  mapped_result?: unknown;
  nd_builtin_cache?: unknown;
  /** JSON pointers the mask policy removed, e.g. `/input/password`. */
  erased?: string[];
  /** JSON pointers whose values the mask policy replaced. */
  masked?: string[];
  error?: unknown;
  /** The remote address of OPA's caller, `ip:port` or `[ipv6]:port`. */
  requested_by?: string;
  /** RFC 3339 with up to nanoseconds. */
  timestamp: string;
  metrics?: Record<string, unknown>;
  req_id?: number;
  request_context?: { http?: { headers?: Record<string, string[]> } };
}

/** The problems of one element, pointers from the body's root. */
function decisionProblems(d: unknown, at: string): Problem[] {
  if (!isRecord(d)) return [{ pointer: at, message: "must be a decision object" }];
  const problems: Problem[] = [];
  const want = (ok: boolean, key: string, message: string) => {
    if (!ok) problems.push({ pointer: `${at}/${key}`, message });
  };
  want(typeof d.decision_id === "string" && d.decision_id.length > 0, "decision_id", "must be a non-empty string");
  want(typeof d.timestamp === "string", "timestamp", "must be an RFC 3339 string");
  want(
    d.labels === undefined ||
      d.labels === null ||
      (isRecord(d.labels) && Object.values(d.labels).every((v) => typeof v === "string")),
    "labels",
    "must be an object of strings",
  );
  for (const key of ["trace_id", "span_id", "revision", "path", "query", "requested_by"]) {
    want(d[key] === undefined || typeof d[key] === "string", key, "must be a string");
  }
  want(typeof d.path === "string" || typeof d.query === "string", "path", "must be present (or query)");
  for (const key of ["erased", "masked"])
    want(d[key] === undefined || isStrings(d[key]), key, "must be an array of JSON pointers");
  want(
    d.bundles === undefined || (isRecord(d.bundles) && Object.values(d.bundles).every(isRecord)),
    "bundles",
    "must be an object of {revision}",
  );
  want(d.metrics === undefined || isRecord(d.metrics), "metrics", "must be an object");
  want(d.req_id === undefined || Number.isSafeInteger(d.req_id), "req_id", "must be an integer");
  const headers =
    isRecord(d.request_context) && isRecord(d.request_context.http) ? d.request_context.http.headers : undefined;
  want(
    d.request_context === undefined ||
      (isRecord(d.request_context) &&
        (d.request_context.http === undefined ||
          (isRecord(d.request_context.http) &&
            (headers === undefined || (isRecord(headers) && Object.values(headers).every(isStrings)))))),
    "request_context",
    "must be {http: {headers: {name: [values]}}}",
  );
  return problems;
}

/**
 * The decisions of a decision-log upload (parsed JSON, untrusted). Throws
 * HttpProblem REQUEST_INVALID listing every problem when the body is not an
 * array of decisions.
 */
export function parseOpaDecisions(body: unknown): OpaDecision[] {
  if (!Array.isArray(body)) {
    throw new HttpProblem("REQUEST_INVALID", "an OPA decision-log upload is a JSON array of decisions", {
      problems: [{ pointer: "", message: "must be an array" }],
    });
  }
  const problems = body.flatMap((d, i) => decisionProblems(d, `/${i}`));
  if (problems.length > 0) {
    throw new HttpProblem("REQUEST_INVALID", "the body holds decisions OPA does not send", { problems });
  }
  return (body as Record<string, unknown>[]).map(
    (d) => ({ ...d, labels: (d.labels ?? {}) as Record<string, string> }) as OpaDecision,
  );
}
