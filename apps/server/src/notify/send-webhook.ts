// One signed POST of a notification (docs/notifications.md) or of a stream's
// NDJSON batch (docs/stream-webhooks.md) to a webhook.
// Redirects are not followed (a receiver that moved is a failed attempt, not
// a request to wherever it points), the answer's body is discarded unread
// past a small cap, and nothing of the URL, secret or body is logged here.

import { parseRetryAfterMs } from "@trailproof/client";
import type { Hasher } from "@trailproof/core";
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signatureHeader } from "./webhook-signature.js";

export interface WebhookRequest {
  url: string;
  secret: string;
  deliveryId: string;
  kind: string;
  body: string;
  /** The body's media type; application/json when absent. */
  contentType?: string;
  /** More headers (a stream's index headers, its user agent); they cannot replace the signature, delivery or event headers. */
  headers?: Readonly<Record<string, string>>;
}

export interface WebhookResult {
  ok: boolean;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
  /** What a 429 or 503 answer's Retry-After asked for. */
  retryAfterMs: number | undefined;
}

export async function sendWebhook(
  hasher: Hasher,
  request: WebhookRequest,
  timeoutMs: number,
  now: () => number = Date.now,
): Promise<WebhookResult> {
  const started = performance.now();
  const unix = Math.floor(now() / 1000);
  try {
    const headers = new Headers({
      "content-type": request.contentType ?? "application/json",
      "user-agent": "Trailproof-Notify/1",
    });
    for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name, value);
    headers.set(SIGNATURE_HEADER, signatureHeader(hasher, request.secret, unix, request.body));
    headers.set(DELIVERY_HEADER, request.deliveryId);
    headers.set(EVENT_HEADER, request.kind);
    const answer = await fetch(request.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
      headers,
      body: request.body,
    });
    await answer.body?.cancel();
    const ok = answer.status >= 200 && answer.status < 300;
    return {
      ok,
      httpStatus: answer.status,
      error: ok ? null : `HTTP ${answer.status}`,
      durationMs: performance.now() - started,
      retryAfterMs:
        answer.status === 429 || answer.status === 503
          ? parseRetryAfterMs(answer.headers.get("retry-after"), now())
          : undefined,
    };
  } catch (err) {
    return {
      ok: false,
      httpStatus: null,
      error: describeFailure(err),
      durationMs: performance.now() - started,
      retryAfterMs: undefined,
    };
  }
}

/** A short cause without the URL (undici's messages may carry it). */
function describeFailure(err: unknown): string {
  if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) return "timed out";
  const cause = err instanceof Error ? (err.cause as { code?: string } | undefined) : undefined;
  if (cause?.code) return `connection failed: ${cause.code}`;
  return "request failed";
}
