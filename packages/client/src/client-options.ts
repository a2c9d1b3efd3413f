// Options of TrailproofClient, with every default resolved once here.
import { ActionRegistry, builtinCatalogue, type UnknownActionPolicy } from "@trailproof/core";
import type { AmbientSource } from "./ambient-context.js";
import { type BackoffOptions, DEFAULT_BACKOFF } from "./backoff.js";
import { ClientError, type DeliveryError } from "./errors.js";
import type { EventContext } from "./event-draft.js";
import { MemorySpool } from "./memory-spool.js";
import type { Spool } from "./spool.js";

export interface TrailproofClientOptions {
  /** Base URL of the service, e.g. https://audit.example.com (no trailing /v1). */
  url: string;
  /** An ingest key (tpk_...): it may append and nothing else. */
  apiKey: string;
  /** Most events per request (default 100, at most 1,000 as the service allows). */
  batchSize?: number;
  /** Most bytes of event JSON per request (default 4 MiB, under the service's 5 MB body limit). */
  maxBatchBytes?: number;
  /** An event waits at most this long for its batch to fill (default 1,000 ms). */
  flushIntervalMs?: number;
  /** Retries of one batch before its events are given up and handed to onError (default Infinity). */
  maxRetries?: number;
  /** Exponential backoff with full jitter (default base 200 ms, cap 30 s); Retry-After wins when sent. */
  backoff?: Partial<BackoffOptions>;
  /** Each request is abandoned (and retried) after this long (default 30 s). */
  requestTimeoutMs?: number;
  /** Default: globalThis.fetch. */
  fetch?: typeof globalThis.fetch;
  /** Where events wait for acknowledgement (default: a MemorySpool; FileSpool on Node survives a crash). */
  spool?: Spool;
  /**
   * Called once per failure that loses events for this client: rejected by the
   * service, refused (4xx), given up, abandoned at close, or the key refused
   * (DELIVERY_UNAUTHORISED, 401/403: sending stops). The error carries the events. Also
   * called once per outage with DELIVERY_CONNECTION_FAILED (no events: they stay
   * spooled and are retried). Default: one line on console.error (code and
   * count or message, never the events).
   */
  onError?: (error: DeliveryError) => void;
  /** Called before each retry (network error, 429, 5xx, ...). */
  onRetry?: (reason: string, attempt: number, delayMs: number) => void;
  /**
   * Schemas events are checked against before they are spooled: an
   * ActionRegistry, or the built-in catalogue (default). `false` checks the
   * envelope only, and then no field can be recognised as secret.
   */
  schemas?: ActionRegistry | false;
  /** What an action the registry does not know is (default "reject", as the service's default). */
  unknownActions?: UnknownActionPolicy;
  /** Context fields every event gets unless it or the ambient context sets them (e.g. environment, region). */
  defaultContext?: EventContext;
  /** Where ambient request and automation context comes from (default: the one @trailproof/client/node installs). */
  ambient?: AmbientSource;
  /** Randomness for backoff jitter, [0, 1) (default Math.random). */
  random?: () => number;
  /** Clock for occurred_at and ids (default Date.now). */
  now?: () => number;
}

export interface ResolvedClientOptions {
  url: string;
  apiKey: string;
  batchSize: number;
  maxBatchBytes: number;
  flushIntervalMs: number;
  maxRetries: number;
  backoff: BackoffOptions;
  requestTimeoutMs: number;
  fetch: typeof globalThis.fetch;
  spool: Spool;
  onError: (error: DeliveryError) => void;
  onRetry: (reason: string, attempt: number, delayMs: number) => void;
  registry: ActionRegistry | undefined;
  unknownActions: UnknownActionPolicy;
  defaultContext: EventContext | undefined;
  ambient: AmbientSource | undefined;
  random: () => number;
  now: () => number;
}

let builtinRegistry: ActionRegistry | undefined;

function invalid(pointer: string, message: string): ClientError {
  return new ClientError("CLIENT_OPTIONS_INVALID", `invalid client options: ${pointer.slice(1)} ${message}`, {
    problems: [{ pointer, message }],
  });
}

function positiveInteger(value: number | undefined, fallback: number, pointer: string, max = Infinity): number {
  const v = value ?? fallback;
  if (!(Number.isInteger(v) || v === Infinity) || v < 1 || v > max) {
    throw invalid(pointer, `must be an integer from 1 to ${max}`);
  }
  return v;
}

export function resolveClientOptions(options: TrailproofClientOptions): ResolvedClientOptions {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw invalid("/url", "must be an absolute http(s) URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw invalid("/url", "must be an http or https URL");
  if (typeof options.apiKey !== "string" || options.apiKey.length === 0) throw invalid("/apiKey", "must be an API key");
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== "function") throw invalid("/fetch", "is required where there is no global fetch");
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  if (!(backoff.baseMs >= 0 && backoff.capMs >= backoff.baseMs))
    throw invalid("/backoff", "needs 0 <= baseMs <= capMs");
  const maxRetries = options.maxRetries ?? Infinity;
  if (!(maxRetries === Infinity || (Number.isInteger(maxRetries) && maxRetries >= 0))) {
    throw invalid("/maxRetries", "must be a non-negative integer or Infinity");
  }
  if (options.schemas === undefined) builtinRegistry ??= new ActionRegistry(builtinCatalogue);
  return {
    url: url.href.replace(/\/+$/, ""),
    apiKey: options.apiKey,
    batchSize: positiveInteger(options.batchSize, 100, "/batchSize", 1000),
    maxBatchBytes: positiveInteger(options.maxBatchBytes, 4 * 1024 * 1024, "/maxBatchBytes"),
    flushIntervalMs: positiveInteger(options.flushIntervalMs, 1000, "/flushIntervalMs"),
    maxRetries,
    backoff,
    requestTimeoutMs: positiveInteger(options.requestTimeoutMs, 30_000, "/requestTimeoutMs"),
    fetch: fetchImpl,
    spool: options.spool ?? new MemorySpool(),
    onError:
      options.onError ??
      ((error) =>
        console.error(
          error.events.length === 0
            ? `trailproof: ${error.code}: ${error.message}`
            : `trailproof: ${error.code}: ${error.events.length} event(s) not recorded`,
        )),
    onRetry: options.onRetry ?? (() => undefined),
    registry: options.schemas === false ? undefined : (options.schemas ?? builtinRegistry),
    unknownActions: options.unknownActions ?? "reject",
    defaultContext: options.defaultContext,
    ambient: options.ambient,
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
  };
}
