// One attempt at POST /v1/events (docs/api.md) and what it means for the
// batch: results per event, unreachable (no answer: retry later), retry later
// (408, 429, 5xx, or an answer that does not match the wire contract), too
// large, unauthorised (401/403), or refused for good.
import {
  IngestResponseSchema,
  type IngestResult,
  PROBLEM_CONTENT_TYPE,
  type ProblemDetails,
} from "@trailproof/protocol";
import { Value } from "typebox/value";
import { parseRetryAfterMs } from "./backoff.js";
import type { SpooledEvent } from "./spool.js";

export type PostOutcome =
  | { kind: "results"; results: IngestResult[] }
  | { kind: "unreachable"; reason: string; status?: undefined; retryAfterMs?: undefined }
  | { kind: "retry"; reason: string; status?: number; retryAfterMs?: number }
  | { kind: "unauthorised"; status: number; problem?: ProblemDetails }
  | { kind: "too_large"; status: number; problem?: ProblemDetails }
  | { kind: "refused"; status: number; problem?: ProblemDetails };

export interface PostTarget {
  url: string;
  apiKey: string;
  fetch: typeof globalThis.fetch;
  requestTimeoutMs: number;
}

/** The request body, built from the spooled JSON texts so every retry sends the same bytes. */
export function batchBody(events: readonly SpooledEvent[]): string {
  return `{"events":[${events.map((e) => e.json).join(",")}]}`;
}

async function readProblem(res: Response): Promise<ProblemDetails | undefined> {
  const type = res.headers.get("content-type") ?? "";
  if (!type.includes(PROBLEM_CONTENT_TYPE) && !type.includes("application/json")) return undefined;
  try {
    const body = (await res.json()) as unknown;
    return typeof body === "object" && body !== null && typeof (body as { code?: unknown }).code === "string"
      ? (body as ProblemDetails)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Never throws for what the network or the service does; throws only if `signal` aborted. */
export async function postEvents(
  target: PostTarget,
  events: readonly SpooledEvent[],
  signal: AbortSignal,
): Promise<PostOutcome> {
  let res: Response;
  try {
    res = await target.fetch(`${target.url}/v1/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${target.apiKey}`, "content-type": "application/json" },
      body: batchBody(events),
      signal: AbortSignal.any([signal, AbortSignal.timeout(target.requestTimeoutMs)]),
    });
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    return { kind: "unreachable", reason: err instanceof Error ? `${err.message}${causeOf(err)}` : String(err) };
  }
  const status = res.status;
  if (status === 200) {
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      return { kind: "retry", reason: "the answer is not JSON", status };
    }
    if (!Value.Check(IngestResponseSchema, body))
      return { kind: "retry", reason: "the answer is not an ingest response", status };
    const results = body.results;
    const matches =
      results.length === events.length &&
      results.every((r, i) => r.id === events[i]?.id && (r.status === "rejected" || isSealed(r)));
    if (!matches) return { kind: "retry", reason: "the answer's results do not match the events sent", status };
    return { kind: "results", results };
  }
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs =
      status === 429 || status === 503 ? parseRetryAfterMs(res.headers.get("retry-after"), Date.now()) : undefined;
    await res.body?.cancel();
    return retryAfterMs === undefined
      ? { kind: "retry", reason: `HTTP ${status}`, status }
      : { kind: "retry", reason: `HTTP ${status}`, status, retryAfterMs };
  }
  const problem = await readProblem(res);
  if (status === 401 || status === 403)
    return problem ? { kind: "unauthorised", status, problem } : { kind: "unauthorised", status };
  if (status === 413) return problem ? { kind: "too_large", status, problem } : { kind: "too_large", status };
  return problem ? { kind: "refused", status, problem } : { kind: "refused", status };
}

function isSealed(r: IngestResult): boolean {
  return r.index !== undefined && r.leaf_hash !== undefined && r.received_at !== undefined;
}

function causeOf(err: Error): string {
  const cause = err.cause as { code?: unknown; message?: unknown } | undefined;
  if (cause === undefined) return "";
  return typeof cause.code === "string"
    ? ` (${cause.code})`
    : typeof cause.message === "string"
      ? ` (${cause.message})`
      : "";
}
