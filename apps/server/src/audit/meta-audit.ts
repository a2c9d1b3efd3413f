// The meta-audit: every read of events, search, export, proof, key, schema
// and setting change is itself appended to the tenant's log with the caller's
// key as actor and the service as appender. It cannot be switched off, and it
// fails closed: if the record cannot be written, the read is not served. Rapid
// identical reads (the pages of one search, a dashboard refreshing) are
// recorded once a minute.
import { type AppendedBy, TrailproofError } from "@trailproof/core";
import type { Ledger } from "@trailproof/ledger";
import type { FastifyRequest } from "fastify";
import { tenantOf } from "../auth/authenticate.js";

export interface AccessRecord {
  action: string;
  target: { type: string; id: string; name?: string };
  metadata?: Record<string, unknown>;
  /** For setting changes: the state before and after. */
  change?: { before: unknown; after: unknown };
  /** Reads with the same key, action, target and dedupeKey within the window are recorded once. */
  dedupeKey?: string;
}

/**
 * appended_by of what the service records itself: the meta-audit's records,
 * sign-ins, tenant creation and recovery keys. The caller is the event's actor.
 */
export const META_AUDIT_APPENDER: AppendedBy = { type: "service", id: "meta-audit" };

const DEDUPE_WINDOW_MS = 60_000;
const DEDUPE_MAX = 10_000;

export class MetaAudit {
  readonly #ledger: Ledger;
  readonly #recent = new Map<string, number>();

  constructor(ledger: Ledger) {
    this.#ledger = ledger;
  }

  async record(request: FastifyRequest, access: AccessRecord): Promise<void> {
    const principal = request.principal;
    if (!principal) throw new Error("meta-audit without a principal");
    const tenant = tenantOf(request);
    const now = Date.now();
    const dedupeKey =
      access.dedupeKey === undefined
        ? undefined
        : `${tenant}|${principal.id}|${access.action}|${access.target.type}:${access.target.id}|${access.dedupeKey}`;
    if (dedupeKey !== undefined) {
      const last = this.#recent.get(dedupeKey);
      if (last !== undefined && now - last < DEDUPE_WINDOW_MS) return;
    }
    const userAgent = request.headers["user-agent"];
    const [result] = await this.#ledger.append(
      tenant,
      [
        {
          action: access.action,
          occurred_at: new Date(now).toISOString(),
          actor: principal.actor,
          target: access.target,
          context: {
            request_id: request.id,
            ip: request.ip,
            ...(typeof userAgent === "string" && userAgent.length > 0 ? { user_agent: userAgent.slice(0, 1024) } : {}),
          },
          metadata: { route: request.routeOptions.url, ...access.metadata },
          ...(access.change ? { change: access.change } : {}),
        },
      ],
      { appendedBy: META_AUDIT_APPENDER },
    );
    if (result?.status === "rejected") {
      throw new TrailproofError(
        "META_AUDIT_FAILED",
        `could not record ${access.action}: ${JSON.stringify(result.problems)}`,
      );
    }
    // Only a recorded read counts for deduplication: a failed record fails closed again next time.
    if (dedupeKey !== undefined) {
      this.#recent.delete(dedupeKey);
      this.#recent.set(dedupeKey, now);
      if (this.#recent.size > DEDUPE_MAX) this.#recent.delete(this.#recent.keys().next().value as string);
    }
  }
}
