// NotificationStore on PostgreSQL (schema/011-notifications.ts): every
// statement in its tenant's row-level security scope (operator scope for
// the operator's channels). Claims cross tenants through claim_deliveries,
// whose FOR UPDATE SKIP LOCKED and claim end keep two nodes from sending one
// delivery at once; an attempt is recorded only by the claim's holder.
import { randomBytes } from "node:crypto";
import { TrailproofError } from "@trailproof/core";
import type { ChannelSecretSealer } from "../../keys/channel-secrets.js";
import {
  type AttemptRow,
  type ChannelRow,
  type DeliveryRow,
  toAttempt,
  toChannel,
  toDelivery,
} from "../notification-rows.js";
import {
  type AttemptOutcome,
  type ChannelChange,
  type ChannelRecord,
  type ClaimedDelivery,
  type CopyOutcome,
  type DeliveryAttempt,
  type DeliveryRecord,
  type DeliveryStatus,
  deliveryIdOf,
  entrySource,
  type NewDelivery,
  type NotificationStore,
  type OutboxStats,
  type RedriveOutcome,
} from "../notification-store.js";
import type { PgSql, PgTx } from "./postgres-client.js";
import { inTenant } from "./tenant-scope.js";

/** The follower's name in follower_cursors. */
export const NOTIFICATION_FOLLOWER = "notifications";

export class PostgresNotificationStore implements NotificationStore {
  readonly #sql: PgSql;
  readonly #secrets: ChannelSecretSealer;

  /** Requires the schema migrated and `sql` connected as the app role. */
  constructor(sql: PgSql, secrets: ChannelSecretSealer) {
    this.#sql = sql;
    this.#secrets = secrets;
  }

  async insertChannel(r: ChannelRecord, secret: string): Promise<void> {
    const sealed = this.#secrets.seal(r.channelId, secret);
    await inTenant(this.#sql, r.tenantId, async (tx) => {
      await tx`INSERT INTO notification_channels (channel_id, tenant_id, name, kind, format, url, secret_sealed, enabled,
          created_at, created_by, updated_at, updated_by)
        VALUES (${r.channelId}, ${r.tenantId}, ${r.name}, 'webhook', ${r.format}, ${r.url}, ${sealed}, ${r.enabled},
          ${r.createdAt}, ${r.createdBy}, ${r.updatedAt}, ${r.updatedBy})`;
    });
  }

  async findChannel(tenantId: number | null, channelId: string): Promise<ChannelRecord | undefined> {
    const [row] = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<ChannelRow[]>`SELECT * FROM notification_channels
        WHERE tenant_id IS NOT DISTINCT FROM ${tenantId}::integer AND channel_id = ${channelId}`,
    );
    return row && toChannel(row);
  }

  async listChannels(tenantId: number | null): Promise<ChannelRecord[]> {
    const rows = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<ChannelRow[]>`SELECT * FROM notification_channels
        WHERE tenant_id IS NOT DISTINCT FROM ${tenantId}::integer ORDER BY created_at, channel_id`,
    );
    return rows.map(toChannel);
  }

  async updateChannel(
    tenantId: number | null,
    channelId: string,
    c: ChannelChange,
  ): Promise<ChannelRecord | undefined> {
    const sealed = c.secret === undefined ? null : this.#secrets.seal(channelId, c.secret);
    const [row] = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<ChannelRow[]>`UPDATE notification_channels SET name = coalesce(${c.name ?? null}, name),
          format = coalesce(${c.format ?? null}, format), url = coalesce(${c.url ?? null}, url),
          enabled = coalesce(${c.enabled ?? null}::boolean, enabled), secret_sealed = coalesce(${sealed}, secret_sealed),
          updated_at = ${c.updatedAt}, updated_by = ${c.updatedBy}
        WHERE tenant_id IS NOT DISTINCT FROM ${tenantId}::integer AND channel_id = ${channelId} RETURNING *`,
    );
    return row && toChannel(row);
  }

  async deleteChannel(tenantId: number | null, channelId: string, at: string): Promise<boolean> {
    return inTenant(this.#sql, tenantId, async (tx) => {
      const done = await tx`DELETE FROM notification_channels
        WHERE tenant_id IS NOT DISTINCT FROM ${tenantId}::integer AND channel_id = ${channelId}`;
      if (done.count !== 1) return false;
      await tx`UPDATE notification_deliveries SET status = 'dead', last_error = 'channel deleted',
          next_attempt_at = ${at}, claimed_by = NULL, claimed_until = NULL
        WHERE tenant_id IS NOT DISTINCT FROM ${tenantId}::integer AND channel_id = ${channelId} AND status = 'pending'`;
      return true;
    });
  }

  async channelSecret(tenantId: number | null, channelId: string): Promise<string | undefined> {
    const [row] = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<{ secret_sealed: string }[]>`SELECT secret_sealed FROM notification_channels
        WHERE tenant_id IS NOT DISTINCT FROM ${tenantId}::integer AND channel_id = ${channelId}`,
    );
    return row && this.#secrets.open(channelId, row.secret_sealed);
  }

  async followerCovered(tenantId: number): Promise<number> {
    return inTenant(this.#sql, tenantId, async (tx) => {
      const [row] = await tx<{ covered: number }[]>`
        SELECT covered FROM follower_cursors WHERE tenant_id = ${tenantId} AND follower = ${NOTIFICATION_FOLLOWER}`;
      return row === undefined ? 0 : Number(row.covered);
    });
  }

  async enqueueFollowed(
    tenantId: number,
    from: number,
    to: number,
    sources: readonly NewDelivery[],
    at: string,
  ): Promise<void> {
    await inTenant(this.#sql, tenantId, async (tx) => {
      await tx`INSERT INTO follower_cursors (tenant_id, follower, covered) VALUES (${tenantId}, ${NOTIFICATION_FOLLOWER}, 0)
        ON CONFLICT DO NOTHING`;
      const [row] = await tx<{ covered: number }[]>`SELECT covered FROM follower_cursors
        WHERE tenant_id = ${tenantId} AND follower = ${NOTIFICATION_FOLLOWER} FOR UPDATE`;
      if (row === undefined || Number(row.covered) !== from) {
        throw new TrailproofError(
          "FOLLOWER_CURSOR_MOVED",
          `the notification cursor of tenant ${tenantId} is at ${row?.covered}, not at ${from}: another node applied it`,
        );
      }
      await this.#insert(
        tx,
        tenantId,
        sources.map((s) => ({ ...s, key: entrySource(s.sourceIndex ?? -1) })),
        at,
      );
      await tx`UPDATE follower_cursors SET covered = ${to} WHERE tenant_id = ${tenantId} AND follower = ${NOTIFICATION_FOLLOWER}`;
    });
  }

  async insertDeliveryCopy(d: DeliveryRecord, attempts: readonly DeliveryAttempt[]): Promise<CopyOutcome> {
    return inTenant(this.#sql, d.tenantId, async (tx): Promise<CopyOutcome> => {
      const done = await tx`INSERT INTO notification_deliveries (delivery_id, tenant_id, channel_id, kind,
          source_event_id, source_index, payload, status, attempts, next_attempt_at, last_error, created_at, delivered_at)
        VALUES (${d.deliveryId}, ${d.tenantId}, ${d.channelId}, ${d.kind}, ${d.sourceEventId}, ${d.sourceIndex},
          ${tx.json(d.payload)}, ${d.status}, ${d.attempts}, ${d.nextAttemptAt}, ${d.lastError}, ${d.createdAt},
          ${d.deliveredAt})
        ON CONFLICT (delivery_id) DO NOTHING`;
      let outcome: CopyOutcome = "inserted";
      if (done.count !== 1) {
        const forward = await tx`UPDATE notification_deliveries SET status = ${d.status}, attempts = ${d.attempts},
            next_attempt_at = ${d.nextAttemptAt}, last_error = ${d.lastError}, delivered_at = ${d.deliveredAt}
          WHERE delivery_id = ${d.deliveryId} AND tenant_id IS NOT DISTINCT FROM ${d.tenantId}::integer
            AND status = 'pending' AND attempts < ${d.attempts}`;
        if (forward.count !== 1) return "unchanged";
        outcome = "updated";
      }
      for (const a of attempts) {
        await tx`INSERT INTO notification_attempts (delivery_id, tenant_id, attempt, at, http_status, error, duration_ms)
          VALUES (${d.deliveryId}, ${d.tenantId}, ${a.attempt}, ${a.at}, ${a.httpStatus}, ${a.error}, ${Math.round(a.durationMs)})
          ON CONFLICT DO NOTHING`;
      }
      return outcome;
    });
  }

  async enqueue(
    tenantId: number | null,
    deliveries: readonly (NewDelivery & { key: string })[],
    at: string,
  ): Promise<number> {
    return inTenant(this.#sql, tenantId, (tx) => this.#insert(tx, tenantId, deliveries, at));
  }

  async #insert(
    tx: PgTx,
    tenantId: number | null,
    sources: readonly (NewDelivery & { key: string })[],
    at: string,
  ): Promise<number> {
    if (sources.length === 0) return 0;
    const enabled = new Set(
      (
        await tx<{ channel_id: string }[]>`SELECT channel_id FROM notification_channels
          WHERE tenant_id IS NOT DISTINCT FROM ${tenantId}::integer AND enabled`
      ).map((r) => r.channel_id),
    );
    let added = 0;
    for (const s of sources) {
      for (const channelId of new Set(s.channelIds)) {
        if (!enabled.has(channelId)) continue;
        const done = await tx`INSERT INTO notification_deliveries (delivery_id, tenant_id, channel_id, kind,
            source_event_id, source_index, payload, status, attempts, next_attempt_at, created_at)
          VALUES (${deliveryIdOf(tenantId, s.key, channelId)}, ${tenantId}, ${channelId}, ${s.kind}, ${s.sourceEventId},
            ${s.sourceIndex}, ${tx.json(s.payload)}, 'pending', 0, ${at}, ${at})
          ON CONFLICT (delivery_id) DO NOTHING`;
        added += done.count;
      }
    }
    return added;
  }

  async claimDue(now: string, until: string, node: string, limit: number): Promise<ClaimedDelivery[]> {
    const token = `${node}:${randomBytes(8).toString("hex")}`;
    const rows = await this.#sql<DeliveryRow[]>`SELECT * FROM claim_deliveries(${now}, ${until}, ${token}, ${limit})`;
    const claimed: ClaimedDelivery[] = [];
    for (const r of rows) {
      const [c] = await inTenant(
        this.#sql,
        r.tenant_id,
        (tx) => tx<{ url: string; format: string; secret_sealed: string }[]>`
          SELECT url, format, secret_sealed FROM notification_channels WHERE channel_id = ${r.channel_id}`,
      );
      if (c === undefined) continue;
      claimed.push({
        ...toDelivery(r),
        claimToken: token,
        url: c.url,
        format: c.format as ClaimedDelivery["format"],
        secret: this.#secrets.open(r.channel_id, c.secret_sealed),
      });
    }
    return claimed;
  }

  async recordAttempt(
    d: { deliveryId: string; tenantId: number | null; claimToken: string },
    a: DeliveryAttempt,
    o: AttemptOutcome,
  ): Promise<boolean> {
    return inTenant(this.#sql, d.tenantId, async (tx) => {
      const [row] = await tx<{ attempts: number }[]>`UPDATE notification_deliveries SET status = ${o.status},
          attempts = attempts + 1, next_attempt_at = ${o.nextAttemptAt}, last_error = ${o.lastError},
          delivered_at = CASE WHEN ${o.status} = 'delivered' THEN ${a.at} ELSE delivered_at END,
          claimed_by = NULL, claimed_until = NULL
        WHERE delivery_id = ${d.deliveryId} AND tenant_id IS NOT DISTINCT FROM ${d.tenantId}::integer
          AND claimed_by = ${d.claimToken} AND status = 'pending'
        RETURNING attempts`;
      if (row === undefined) return false;
      await tx`INSERT INTO notification_attempts (delivery_id, tenant_id, attempt, at, http_status, error, duration_ms)
        VALUES (${d.deliveryId}, ${d.tenantId}, ${row.attempts}, ${a.at}, ${a.httpStatus}, ${a.error}, ${Math.round(a.durationMs)})`;
      return true;
    });
  }

  async findDelivery(tenantId: number | null, deliveryId: string): Promise<DeliveryRecord | undefined> {
    const [row] = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<DeliveryRow[]>`SELECT * FROM notification_deliveries
        WHERE tenant_id IS NOT DISTINCT FROM ${tenantId}::integer AND delivery_id = ${deliveryId}`,
    );
    return row && toDelivery(row);
  }

  async listDeliveries(
    tenantId: number | null,
    options: { status?: DeliveryStatus; channelId?: string; limit: number },
  ): Promise<DeliveryRecord[]> {
    const status = options.status ?? null;
    const channel = options.channelId ?? null;
    const rows = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<DeliveryRow[]>`SELECT * FROM notification_deliveries
        WHERE tenant_id IS NOT DISTINCT FROM ${tenantId}::integer
          AND (${status}::text IS NULL OR status = ${status}) AND (${channel}::text IS NULL OR channel_id = ${channel})
        ORDER BY created_at DESC, delivery_id DESC LIMIT ${options.limit}`,
    );
    return rows.map(toDelivery);
  }

  async listAttempts(tenantId: number | null, deliveryId: string): Promise<DeliveryAttempt[]> {
    const rows = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<AttemptRow[]>`SELECT * FROM notification_attempts
        WHERE tenant_id IS NOT DISTINCT FROM ${tenantId}::integer AND delivery_id = ${deliveryId} ORDER BY attempt`,
    );
    return rows.map(toAttempt);
  }

  async redrive(tenantId: number | null, deliveryId: string, at: string): Promise<RedriveOutcome> {
    return inTenant(this.#sql, tenantId, async (tx) => {
      const [d] = await tx<
        { status: string; channel_id: string }[]
      >`SELECT status, channel_id FROM notification_deliveries
        WHERE tenant_id IS NOT DISTINCT FROM ${tenantId}::integer AND delivery_id = ${deliveryId} FOR UPDATE`;
      if (d === undefined) return "not_found";
      if (d.status !== "dead") return "not_dead";
      const [c] = await tx`SELECT 1 FROM notification_channels
        WHERE tenant_id IS NOT DISTINCT FROM ${tenantId}::integer AND channel_id = ${d.channel_id}`;
      if (c === undefined) return "channel_missing";
      await tx`UPDATE notification_deliveries SET status = 'pending', next_attempt_at = ${at}, claimed_by = NULL,
          claimed_until = NULL WHERE delivery_id = ${deliveryId}`;
      return "redriven";
    });
  }

  async outboxStats(): Promise<OutboxStats> {
    const [row] = await this.#sql<{ pending: string; dead: string; oldest: string | null }[]>`
      SELECT * FROM outbox_stats()`;
    return { pending: Number(row?.pending ?? 0), dead: Number(row?.dead ?? 0), oldestPendingAt: row?.oldest ?? null };
  }
}
