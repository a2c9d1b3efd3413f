// A real webhook receiver for the notification tests: a node:http server on
// 127.0.0.1 that records every request, answers as told (2xx, 503, or not at
// all: closed, so connections are refused), and checks signatures with the
// logic docs/notifications.md documents for receivers.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** The receiver side of docs/notifications.md: signature over `${t}.${body}`, 5-minute replay window. */
export function verifySignature(secret: string, header: string | undefined, body: string, nowMs = Date.now()): boolean {
  const fields = new Map((header ?? "").split(",").map((kv) => kv.split("=", 2) as [string, string]));
  const t = Number(fields.get("t"));
  const v1 = fields.get("v1") ?? "";
  if (!Number.isInteger(t) || Math.abs(nowMs / 1000 - t) > 300) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest();
  const given = Buffer.from(v1, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export class WebhookReceiver {
  readonly received: Received[] = [];
  /** What to answer: a status code. */
  status = 204;
  #server: Server | undefined;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
        res.writeHead(this.status, this.status === 503 ? { "retry-after": "0" } : {}).end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  /** Stops listening: connections to the port are refused until start() again. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The distinct delivery ids received (a receiver's dedupe). */
  deliveryIds(): Set<string> {
    return new Set(this.received.map((r) => String(r.headers["trailproof-delivery"])));
  }
}

export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let alertCounter = 0;
/** An alert.raise event as the alert engine appends it (catalogue-detect.ts). */
export function alertEvent(channelIds: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  alertCounter += 1;
  return {
    action: "alert.raise",
    occurred_at: new Date().toISOString(),
    actor: { type: "system", id: "alerts" },
    target: { type: "alert_rule", id: "rul_denied", name: "Denied burst" },
    message: "alert rule Denied burst raised an alert",
    metadata: {
      alert_id: `alr_${process.pid}_${alertCounter}`,
      rule_id: "rul_denied",
      rule_version: 3,
      rule_type: "threshold",
      severity: "high",
      matched_event_ids: ["evt_a", "evt_b"],
      matched_count: 2,
      group: null,
      window_start: null,
      window_end: null,
      channel_ids: channelIds,
    },
    ...extra,
  };
}
