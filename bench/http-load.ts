// A closed-loop HTTP load generator on node:http: `clients` keep-alive
// connections, each sending its next request as soon as the last is
// acknowledged, bounded by a request count and a duration. Latency is from
// the first byte written to the last byte read.
import { Agent, request } from "node:http";
import { closeIdleBeforeServer } from "./http-keep-alive.js";
import { type LatencySummary, perSecond, summarise } from "./stats.js";

export interface HttpResponse {
  status: number;
  body: string;
  /** The Retry-After header, as sent; null when absent. */
  retryAfter: string | null;
}

/**
 * One request over `agent`; resolves with the whole body. With timeoutMs it
 * rejects (and drops the request) once that long has passed since the call,
 * waiting for a free socket included, so a stalled server cannot hold a
 * load generator forever. A keep-alive `agent` closes an idle connection
 * before the server would (http-keep-alive.ts).
 */
export function httpCall(
  agent: Agent,
  url: string,
  options: {
    method: string;
    key: string;
    body?: string | Buffer;
    timeoutMs?: number;
    /** Headers sent instead of the defaults of the same name (authorization, content-type). */
    headers?: Record<string, string>;
  },
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        agent,
        method: options.method,
        ...(options.timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(options.timeoutMs) }),
        headers: {
          authorization: `Bearer ${options.key}`,
          ...(options.body === undefined
            ? {}
            : { "content-type": "application/json", "content-length": Buffer.byteLength(options.body) }),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const retryAfter = res.headers["retry-after"] ?? null;
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), retryAfter });
        });
        res.on("error", reject);
      },
    );
    closeIdleBeforeServer(agent, req);
    req.on("error", reject);
    req.end(options.body);
  });
}

export interface LoadOptions {
  url: string;
  key: string;
  clients: number;
  durationMs: number;
  maxRequests: number;
  eventsPerRequest: number;
  /** Body of the n-th request (each must carry new event ids). */
  body: (n: number) => string | Buffer;
  /** Headers of the n-th request, over the defaults (a compat endpoint's own auth and media type). */
  headers?: (n: number) => Record<string, string>;
  /** Whether an answer acknowledged every event; default: 200 with none rejected (POST /v1/events). */
  accepted?: (res: HttpResponse) => boolean;
}

export interface LoadResult {
  clients: number;
  eventsPerRequest: number;
  requests: number;
  events: number;
  /** Requests that failed, were not 200, or had an event not created. */
  errors: number;
  firstError: string | null;
  seconds: number;
  eventsPerSecond: number;
  latency: LatencySummary;
}

/** POST /v1/events acknowledged every event: 200 and no result rejected. */
function acceptedByIngest(res: HttpResponse): boolean {
  return res.status === 200 && !res.body.includes('"status":"rejected"');
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.clients });
  const samples: number[] = [];
  let issued = 0;
  let errors = 0;
  let firstError: string | null = null;
  const t0 = performance.now();
  const client = async () => {
    while (issued < o.maxRequests && performance.now() - t0 < o.durationMs) {
      const n = issued++;
      const body = o.body(n);
      const headers = o.headers?.(n);
      const start = performance.now();
      try {
        const res = await httpCall(agent, o.url, { method: "POST", key: o.key, body, ...(headers ? { headers } : {}) });
        samples.push(performance.now() - start);
        if (!(o.accepted ?? acceptedByIngest)(res)) {
          errors++;
          firstError ??= `${res.status} ${res.body.slice(0, 300)}`;
        }
      } catch (err) {
        errors++;
        firstError ??= String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: o.clients }, client));
  const ms = performance.now() - t0;
  agent.destroy();
  const ok = samples.length - errors;
  return {
    clients: o.clients,
    eventsPerRequest: o.eventsPerRequest,
    requests: samples.length,
    events: ok * o.eventsPerRequest,
    errors,
    firstError,
    seconds: Math.round(ms) / 1000,
    eventsPerSecond: perSecond(ok * o.eventsPerRequest, ms),
    latency: summarise(samples),
  };
}
