// The meta-audit: every read of events, search, export, proof, key, schema
// and setting change is itself appended to the tenant's log with the caller's
// key as actor and the service as appender. It cannot be switched off, and it
// fails closed: if the record cannot be written, the read is not served. Rapid
// identical reads (the pages of one search, a dashboard refreshing) are
// recorded once a minute, counted across every node.
import { createHash } from "node:crypto";
import { type AppendedBy, TrailproofError } from "@trailproof/core";
import type { AppendResult, Ledger, SharedState } from "@trailproof/ledger";
import type { FastifyRequest } from "fastify";
import { tenantOf } from "../auth/authenticate.js";

export interface AccessRecord {
  action: string;
  /** The event's id, where the record is later looked up by it (an erasure's id); a fresh one otherwise. */
  id?: string;
  target: { type: string; id: string; name?: string };
  metadata?: Record<string, unknown>;
  /** For setting changes: the state before and after (a creation has no before, a deletion no after). */
  change?: { before?: unknown; after?: unknown };
  /** Reads with the same key, action, target and dedupeKey within the window are recorded once. */
  dedupeKey?: string;
  /** The tenant whose log records it; the caller's own tenant when absent (the operator names one). */
  tenant?: string;
}

/**
 * appended_by of what the service records itself: the meta-audit's records,
 * sign-ins, tenant creation and recovery keys. The caller is the event's actor.
 */
export const META_AUDIT_APPENDER: AppendedBy = { type: "service", id: "meta-audit" };

const DEDUPE_WINDOW_MS = 60_000;

/** Hashed: the read's query (search words, ids) stays out of the shared state, and the key stays short. */
const dedupeKeyOf = (parts: string[]) =>
  `meta-audit:${createHash("sha256").update(JSON.stringify(parts)).digest("base64url")}`;

export class MetaAudit {
  readonly #ledger: Ledger;
  readonly #shared: SharedState;

  constructor(ledger: Ledger, shared: SharedState) {
    this.#ledger = ledger;
    this.#shared = shared;
  }

  /** The record's append result; undefined when an identical read was recorded within the window. */
  async record(request: FastifyRequest, access: AccessRecord): Promise<AppendResult | undefined> {
    const principal = request.principal;
    if (!principal) throw new Error("meta-audit without a principal");
    const tenant = access.tenant ?? tenantOf(request);
    const now = Date.now();
    const dedupeKey =
      access.dedupeKey === undefined
        ? undefined
        : dedupeKeyOf([tenant, principal.id, access.action, access.target.type, access.target.id, access.dedupeKey]);
    if (dedupeKey !== undefined && (await this.#shared.get(dedupeKey)) !== undefined) return undefined;
    const userAgent = request.headers["user-agent"];
    const [result] = await this.#ledger.append(
      tenant,
      [
        {
          ...(access.id === undefined ? {} : { id: access.id }),
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
      { appendedBy: META_AUDIT_APPENDER, serviceRecord: true },
    );
    if (result?.status === "rejected") {
      throw new TrailproofError(
        "META_AUDIT_FAILED",
        `could not record ${access.action}: ${JSON.stringify(result.problems)}`,
      );
    }
    // Marked only once recorded: a read is skipped only when a record of it within the window
    // exists, so a failed record fails closed again next time. Identical reads racing on
    // several nodes may each be recorded; more records, never fewer.
    if (dedupeKey !== undefined) await this.#shared.claim(dedupeKey, "recorded", DEDUPE_WINDOW_MS);
    return result;
  }
}
