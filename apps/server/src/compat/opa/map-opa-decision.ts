// One OPA decision as a `policy.evaluate` event (the built-in action, version
// 2: policy_evaluation, governance, phase "runtime": OPA answers requests as
// they are served), per docs/compat.md "OPA decision logs".
// The mapping depends only on what OPA sent, so a redelivered chunk maps to
// byte-identical events with the same ids and is answered as duplicates.
import { createHash } from "node:crypto";
import { MAX_PRINCIPAL_ID_LENGTH } from "@trailproof/core";
import { prefixedEventId } from "../mapping/event-id.js";
import { fitMetadata } from "../mapping/fit-metadata.js";
import { isObject as isRecord } from "../mapping/json-guards.js";
import { toReasonCode } from "../mapping/outcome-status.js";
import { isSpanId, isTraceId } from "../mapping/trace-context.js";
import type { OpaDecision } from "./opa-decision.js";
import { keptHeaders, removeMasked } from "./redact-masked.js";
import { ipOfRequestedBy } from "./requested-by.js";

const sha256Hex = (s: string) => createHash("sha256").update(s).digest("hex");

/** The event id of a decision: `opa-<decision_id>`, or `opa-` and a hash when the id would not be one. */
export function opaEventId(decisionId: string): string {
  return prefixedEventId("opa", decisionId, decisionId);
}

/**
 * The decision in one word: `allow` or `deny` for a boolean result or a
 * result object's boolean `allow` / `allowed` (the Envoy plugin's), `error`
 * when evaluation failed, `undefined` when the policy gave no result, the
 * result itself when it is a short string, else `result` (the value is in
 * metadata.opa.result).
 */
export function decisionOf(d: OpaDecision): string {
  if (d.error !== undefined) return "error";
  const r = d.result;
  if (r === undefined) return "undefined";
  const verdict = typeof r === "boolean" ? r : isRecord(r) ? (r.allow ?? r.allowed) : undefined;
  if (typeof verdict === "boolean") return verdict ? "allow" : "deny";
  if (typeof r === "string" && r.length > 0 && r.length <= 128) return r;
  return "result";
}

/** The caller by the input conventions (input.user, input.subject, input.principal), after masking. */
function actorFromInput(input: unknown): { type: "user"; id: string; name?: string } | undefined {
  if (!isRecord(input)) return undefined;
  for (const key of ["user", "subject", "principal"]) {
    const v = input[key];
    const id = typeof v === "string" ? v : isRecord(v) ? (v.id ?? v.sub ?? v.username) : undefined;
    if (typeof id !== "string" || id.length === 0 || id.length > MAX_PRINCIPAL_ID_LENGTH) continue;
    const name = isRecord(v) && typeof v.name === "string" && v.name.length <= 1024 ? v.name : undefined;
    return { type: "user", id, ...(name === undefined || name === id ? {} : { name }) };
  }
  return undefined;
}

/** The bundle revision(s) the decision was made with: one revision, or `name@revision` of each, sorted. */
function policyVersionOf(d: OpaDecision): string | undefined {
  const revisions = Object.entries(d.bundles ?? {})
    .filter(([, b]) => typeof b.revision === "string" && b.revision !== "")
    .map(([name, b]) => [name, b.revision as string] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (revisions.length === 1) return revisions[0]?.[1];
  if (revisions.length > 1) return revisions.map(([name, rev]) => `${name}@${rev}`).join(",");
  return d.revision === "" ? undefined : d.revision;
}

/** An outcome reason code (lower-case letters, digits and _ . : -) from an OPA error's code. */
function errorReason(error: unknown): string {
  const code = isRecord(error) && typeof error.code === "string" ? error.code : "";
  return toReasonCode(code, false) ?? "evaluation_error";
}

export interface OpaMapOptions {
  /** The partition_name the upload was posted under (`/opa/logs/{partition}`), if any. */
  partition?: string;
}

/** The `policy.evaluate` event for decision `d` (its shapes checked by parseOpaDecisions). */
export function mapOpaDecision(d: OpaDecision, options: OpaMapOptions = {}): Record<string, unknown> {
  const parts: Record<string, unknown> = structuredClone({
    input: d.input,
    result: d.result,
    mapped_result: d.mapped_result,
  });
  removeMasked(parts, d.masked ?? []);
  // An ad-hoc query may span lines, which no identifier may hold: it is named by its hash (the text is in metadata.opa.query).
  const policyId =
    d.path !== undefined && d.path.length <= MAX_PRINCIPAL_ID_LENGTH
      ? d.path
      : `${d.path === undefined ? "query" : "path"}:${sha256Hex(d.path ?? d.query ?? "").slice(0, 32)}`;
  const decision = decisionOf(d);
  const ip = ipOfRequestedBy(d.requested_by);
  const headers = keptHeaders(d.request_context?.http?.headers);
  const userAgent = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === "user-agent")?.[1][0];
  const caller = ip ?? d.labels.id;
  const actor = actorFromInput(parts.input) ?? {
    type: "service_account",
    id: caller && caller.length <= MAX_PRINCIPAL_ID_LENGTH ? caller : "opa",
  };
  const version = policyVersionOf(d);

  const opa: Record<string, unknown> = {
    decision_id: d.decision_id,
    timestamp: d.timestamp,
    labels: d.labels,
    ...(d.path === undefined ? {} : { path: d.path }),
    ...(d.query === undefined ? {} : { query: d.query }),
    ...(d.bundles === undefined ? {} : { bundles: d.bundles }),
    ...(d.revision === undefined ? {} : { revision: d.revision }),
    ...(d.requested_by === undefined ? {} : { requested_by: d.requested_by }),
    ...(d.trace_id === undefined ? {} : { trace_id: d.trace_id }),
    ...(d.span_id === undefined ? {} : { span_id: d.span_id }),
    ...(d.req_id === undefined ? {} : { req_id: d.req_id }),
    ...(options.partition === undefined ? {} : { partition: options.partition }),
    ...(d.nd_builtin_cache === undefined ? {} : { nd_builtin_cache_dropped: true }),
  };
  const base: Record<string, unknown> = {
    phase: "runtime",
    policy_id: policyId,
    ...(version === undefined ? {} : { policy_version: version }),
    decision,
    ...(d.erased === undefined ? {} : { erased: d.erased }),
    ...(d.masked === undefined ? {} : { masked: d.masked }),
    opa,
  };
  const { metadata, dropped } = fitMetadata(base, [
    { at: ["opa", "error"], value: d.error },
    { at: ["opa", "result"], value: parts.result },
    { at: ["input"], value: parts.input },
    { at: ["opa", "mapped_result"], value: parts.mapped_result },
    { at: ["opa", "request_headers"], value: headers },
    { at: ["opa", "metrics"], value: d.metrics },
  ]);
  if (dropped.length > 0) opa.dropped = dropped;

  return {
    id: opaEventId(d.decision_id),
    action: "policy.evaluate",
    action_version: 2,
    occurred_at: d.timestamp,
    actor,
    target: { type: "policy", id: policyId },
    outcome:
      decision === "error"
        ? { status: "failure", reason: errorReason(d.error) }
        : decision === "deny"
          ? { status: "denied" }
          : { status: "success" },
    ...(ip || userAgent || d.trace_id || d.span_id
      ? {
          context: {
            ...(ip === undefined ? {} : { ip }),
            ...(userAgent === undefined ? {} : { user_agent: userAgent.slice(0, 1024) }),
            ...(isTraceId(d.trace_id) ? { trace_id: d.trace_id } : {}),
            ...(isSpanId(d.span_id) ? { span_id: d.span_id } : {}),
          },
        }
      : {}),
    metadata,
  };
}
