// NotificationStore on the SQLite catalogue (trailproof.db). One process
// owns a data directory and better-sqlite3 runs each statement to the end
// before the next, so a claim is one UPDATE ... RETURNING and the follower's
// enqueue and cursor move are one transaction.
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
import type { SqliteDatabase } from "./sqlite-database.js";

const DDL = `
CREATE TABLE IF NOT EXISTS notification_channels (
  channel_id TEXT PRIMARY KEY,
  tenant_id INTEGER REFERENCES tenants (tenant_id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind = 'webhook'),
  format TEXT NOT NULL CHECK (format IN ('native', 'slack')),
  url TEXT NOT NULL,
  secret_sealed TEXT NOT NULL,
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS notification_channels_tenant ON notification_channels (tenant_id, created_at);
CREATE TABLE IF NOT EXISTS notification_deliveries (
  delivery_id TEXT PRIMARY KEY,
  tenant_id INTEGER REFERENCES tenants (tenant_id),
  channel_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  source_event_id TEXT,
  source_index INTEGER,
  payload TEXT NOT NULL CHECK (json_type(payload) = 'object'),
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts INTEGER NOT NULL,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT,
  created_at TEXT NOT NULL,
  delivered_at TEXT,
  claimed_by TEXT,
  claimed_until TEXT
);
CREATE INDEX IF NOT EXISTS notification_deliveries_due ON notification_deliveries (status, next_attempt_at);
CREATE INDEX IF NOT EXISTS notification_deliveries_tenant ON notification_deliveries (tenant_id, created_at);
CREATE TABLE IF NOT EXISTS notification_attempts (
  delivery_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  at TEXT NOT NULL,
  http_status INTEGER,
  error TEXT,
  duration_ms INTEGER NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);
CREATE TABLE IF NOT EXISTS notification_cursor (
  tenant_id INTEGER PRIMARY KEY REFERENCES tenants (tenant_id),
  covered INTEGER NOT NULL
);
`;

type ClaimRow = DeliveryRow & { claimed_by: string; url: string; format: string; secret_sealed: string };

export class SqliteNotificationStore implements NotificationStore {
  readonly #db: SqliteDatabase;
  readonly #secrets: ChannelSecretSealer;
  readonly #hasTables: boolean;

  /** Requires the log schema (tenants) to exist: construct after SqliteStore. */
  constructor(db: SqliteDatabase, secrets: ChannelSecretSealer) {
    this.#db = db;
    this.#secrets = secrets;
    if (db.readonly !== true) db.exec(DDL);
    this.#hasTables =
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'notification_channels'").get() !==
      undefined;
  }

  /** Runs `fn` in one transaction and returns what it returned. */
  #tx<T>(fn: () => T): T {
    let out: T | undefined;
    this.#db.transaction<undefined>(() => {
      out = fn();
    })(undefined);
    return out as T;
  }

  async insertChannel(r: ChannelRecord, secret: string): Promise<void> {
    this.#db
      .prepare(
        `INSERT INTO notification_channels (channel_id, tenant_id, name, kind, format, url, secret_sealed, enabled,
          created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, 'webhook', ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        r.channelId,
        r.tenantId,
        r.name,
        r.format,
        r.url,
        this.#secrets.seal(r.channelId, secret),
        r.enabled ? 1 : 0,
        r.createdAt,
        r.createdBy,
        r.updatedAt,
        r.updatedBy,
      );
  }

  async findChannel(tenantId: number | null, channelId: string): Promise<ChannelRecord | undefined> {
    if (!this.#hasTables) return undefined;
    const row = this.#db
      .prepare("SELECT * FROM notification_channels WHERE tenant_id IS ? AND channel_id = ?")
      .get(tenantId, channelId) as ChannelRow | undefined;
    return row && toChannel(row);
  }

  async listChannels(tenantId: number | null): Promise<ChannelRecord[]> {
    if (!this.#hasTables) return [];
    const rows = this.#db
      .prepare("SELECT * FROM notification_channels WHERE tenant_id IS ? ORDER BY created_at, channel_id")
      .all(tenantId) as ChannelRow[];
    return rows.map(toChannel);
  }

  async updateChannel(
    tenantId: number | null,
    channelId: string,
    c: ChannelChange,
  ): Promise<ChannelRecord | undefined> {
    const sealed = c.secret === undefined ? null : this.#secrets.seal(channelId, c.secret);
    this.#db
      .prepare(
        `UPDATE notification_channels SET name = coalesce(@name, name), format = coalesce(@format, format),
          url = coalesce(@url, url), enabled = coalesce(@enabled, enabled),
          secret_sealed = coalesce(@sealed, secret_sealed), updated_at = @updatedAt, updated_by = @updatedBy
        WHERE tenant_id IS @tenant AND channel_id = @id`,
      )
      .run({
        name: c.name ?? null,
        format: c.format ?? null,
        url: c.url ?? null,
        enabled: c.enabled === undefined ? null : c.enabled ? 1 : 0,
        sealed,
        updatedAt: c.updatedAt,
        updatedBy: c.updatedBy,
        tenant: tenantId,
        id: channelId,
      });
    return this.findChannel(tenantId, channelId);
  }

  async deleteChannel(tenantId: number | null, channelId: string, at: string): Promise<boolean> {
    return this.#tx(() => {
      const done = this.#db
        .prepare("DELETE FROM notification_channels WHERE tenant_id IS ? AND channel_id = ?")
        .run(tenantId, channelId);
      if (done.changes !== 1) return false;
      this.#db
        .prepare(
          `UPDATE notification_deliveries SET status = 'dead', last_error = 'channel deleted', next_attempt_at = ?,
            claimed_by = NULL, claimed_until = NULL
          WHERE tenant_id IS ? AND channel_id = ? AND status = 'pending'`,
        )
        .run(at, tenantId, channelId);
      return true;
    });
  }

  async channelSecret(tenantId: number | null, channelId: string): Promise<string | undefined> {
    if (!this.#hasTables) return undefined;
    const row = this.#db
      .prepare("SELECT secret_sealed FROM notification_channels WHERE tenant_id IS ? AND channel_id = ?")
      .get(tenantId, channelId) as { secret_sealed: string } | undefined;
    return row && this.#secrets.open(channelId, row.secret_sealed);
  }

  async followerCovered(tenantId: number): Promise<number> {
    if (!this.#hasTables) return 0;
    const row = this.#db.prepare("SELECT covered FROM notification_cursor WHERE tenant_id = ?").get(tenantId) as
      | { covered: number }
      | undefined;
    return row?.covered ?? 0;
  }

  async enqueueFollowed(
    tenantId: number,
    from: number,
    to: number,
    sources: readonly NewDelivery[],
    at: string,
  ): Promise<void> {
    this.#tx(() => {
      const current = this.#db.prepare("SELECT covered FROM notification_cursor WHERE tenant_id = ?").get(tenantId) as
        | { covered: number }
        | undefined;
      if ((current?.covered ?? 0) !== from) {
        throw new TrailproofError("FOLLOWER_CURSOR_MOVED", `the notification cursor of tenant ${tenantId} moved`);
      }
      this.#insert(
        tenantId,
        sources.map((s) => ({ ...s, key: entrySource(s.sourceIndex ?? -1) })),
        at,
      );
      this.#db
        .prepare(
          `INSERT INTO notification_cursor (tenant_id, covered) VALUES (?, ?)
            ON CONFLICT (tenant_id) DO UPDATE SET covered = excluded.covered`,
        )
        .run(tenantId, to);
    });
  }

  async insertDeliveryCopy(d: DeliveryRecord, attempts: readonly DeliveryAttempt[]): Promise<CopyOutcome> {
    return this.#tx((): CopyOutcome => {
      const done = this.#db
        .prepare(
          `INSERT INTO notification_deliveries (delivery_id, tenant_id, channel_id, kind, source_event_id, source_index,
            payload, status, attempts, next_attempt_at, last_error, created_at, delivered_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (delivery_id) DO NOTHING`,
        )
        .run(
          d.deliveryId,
          d.tenantId,
          d.channelId,
          d.kind,
          d.sourceEventId,
          d.sourceIndex,
          JSON.stringify(d.payload),
          d.status,
          d.attempts,
          d.nextAttemptAt,
          d.lastError,
          d.createdAt,
          d.deliveredAt,
        );
      let outcome: CopyOutcome = "inserted";
      if (done.changes !== 1) {
        const forward = this.#db
          .prepare(
            `UPDATE notification_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?,
              delivered_at = ? WHERE delivery_id = ? AND tenant_id IS ? AND status = 'pending' AND attempts < ?`,
          )
          .run(d.status, d.attempts, d.nextAttemptAt, d.lastError, d.deliveredAt, d.deliveryId, d.tenantId, d.attempts);
        if (forward.changes !== 1) return "unchanged";
        outcome = "updated";
      }
      const insert = this.#db.prepare(
        `INSERT INTO notification_attempts (delivery_id, attempt, at, http_status, error, duration_ms)
          VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      );
      for (const a of attempts) {
        insert.run(d.deliveryId, a.attempt, a.at, a.httpStatus, a.error, Math.round(a.durationMs));
      }
      return outcome;
    });
  }

  async enqueue(
    tenantId: number | null,
    deliveries: readonly (NewDelivery & { key: string })[],
    at: string,
  ): Promise<number> {
    return this.#tx(() => this.#insert(tenantId, deliveries, at));
  }

  /** Inserts one delivery per source and enabled channel of the tenant; the number new. */
  #insert(tenantId: number | null, sources: readonly (NewDelivery & { key: string })[], at: string): number {
    const enabled = this.#db.prepare(
      "SELECT channel_id FROM notification_channels WHERE tenant_id IS ? AND channel_id = ? AND enabled = 1",
    );
    const insert = this.#db.prepare(
      `INSERT INTO notification_deliveries (delivery_id, tenant_id, channel_id, kind, source_event_id, source_index,
        payload, status, attempts, next_attempt_at, last_error, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, NULL, ?) ON CONFLICT (delivery_id) DO NOTHING`,
    );
    let added = 0;
    for (const s of sources) {
      for (const channelId of new Set(s.channelIds)) {
        if (enabled.get(tenantId, channelId) === undefined) continue;
        added += insert.run(
          deliveryIdOf(tenantId, s.key, channelId),
          tenantId,
          channelId,
          s.kind,
          s.sourceEventId,
          s.sourceIndex,
          JSON.stringify(s.payload),
          at,
          at,
        ).changes;
      }
    }
    return added;
  }

  async claimDue(now: string, until: string, node: string, limit: number): Promise<ClaimedDelivery[]> {
    if (!this.#hasTables) return [];
    const token = `${node}:${randomBytes(8).toString("hex")}`;
    const rows = this.#db
      .prepare(
        `UPDATE notification_deliveries SET claimed_by = @token, claimed_until = @until
        WHERE delivery_id IN (
          SELECT d.delivery_id FROM notification_deliveries d
            JOIN notification_channels c ON c.channel_id = d.channel_id AND c.tenant_id IS d.tenant_id
          WHERE d.status = 'pending' AND d.next_attempt_at <= @now AND c.enabled = 1
            AND (d.claimed_until IS NULL OR d.claimed_until <= @now)
          ORDER BY d.next_attempt_at, d.delivery_id LIMIT @limit)
        RETURNING *`,
      )
      .all({ token, until, now, limit }) as DeliveryRow[];
    const channel = this.#db.prepare(
      "SELECT url, format, secret_sealed FROM notification_channels WHERE channel_id = ?",
    );
    return rows.map((r) => {
      const c = channel.get(r.channel_id) as Pick<ClaimRow, "url" | "format" | "secret_sealed">;
      return {
        ...toDelivery(r),
        claimToken: token,
        url: c.url,
        format: c.format as ClaimedDelivery["format"],
        secret: this.#secrets.open(r.channel_id, c.secret_sealed),
      };
    });
  }

  async recordAttempt(
    d: { deliveryId: string; tenantId: number | null; claimToken: string },
    a: DeliveryAttempt,
    o: AttemptOutcome,
  ): Promise<boolean> {
    return this.#tx(() => {
      const done = this.#db
        .prepare(
          `UPDATE notification_deliveries SET status = @status, attempts = attempts + 1, next_attempt_at = @next,
            last_error = @error, delivered_at = CASE WHEN @status = 'delivered' THEN @at ELSE delivered_at END,
            claimed_by = NULL, claimed_until = NULL
          WHERE delivery_id = @id AND tenant_id IS @tenant AND claimed_by = @token AND status = 'pending'`,
        )
        .run({
          status: o.status,
          next: o.nextAttemptAt,
          error: o.lastError,
          at: a.at,
          id: d.deliveryId,
          tenant: d.tenantId,
          token: d.claimToken,
        });
      if (done.changes !== 1) return false;
      this.#db
        .prepare(
          `INSERT INTO notification_attempts (delivery_id, attempt, at, http_status, error, duration_ms)
            VALUES (?, (SELECT attempts FROM notification_deliveries WHERE delivery_id = ?), ?, ?, ?, ?)`,
        )
        .run(d.deliveryId, d.deliveryId, a.at, a.httpStatus, a.error, Math.round(a.durationMs));
      return true;
    });
  }

  async findDelivery(tenantId: number | null, deliveryId: string): Promise<DeliveryRecord | undefined> {
    if (!this.#hasTables) return undefined;
    const row = this.#db
      .prepare("SELECT * FROM notification_deliveries WHERE tenant_id IS ? AND delivery_id = ?")
      .get(tenantId, deliveryId) as DeliveryRow | undefined;
    return row && toDelivery(row);
  }

  async listDeliveries(
    tenantId: number | null,
    options: { status?: DeliveryStatus; channelId?: string; limit: number },
  ): Promise<DeliveryRecord[]> {
    if (!this.#hasTables) return [];
    const rows = this.#db
      .prepare(
        `SELECT * FROM notification_deliveries WHERE tenant_id IS @tenant
          AND (@status IS NULL OR status = @status) AND (@channel IS NULL OR channel_id = @channel)
        ORDER BY created_at DESC, delivery_id DESC LIMIT @limit`,
      )
      .all({
        tenant: tenantId,
        status: options.status ?? null,
        channel: options.channelId ?? null,
        limit: options.limit,
      }) as DeliveryRow[];
    return rows.map(toDelivery);
  }

  async listAttempts(tenantId: number | null, deliveryId: string): Promise<DeliveryAttempt[]> {
    if (!this.#hasTables) return [];
    const rows = this.#db
      .prepare(
        `SELECT a.* FROM notification_attempts a JOIN notification_deliveries d ON d.delivery_id = a.delivery_id
        WHERE d.tenant_id IS ? AND a.delivery_id = ? ORDER BY a.attempt`,
      )
      .all(tenantId, deliveryId) as AttemptRow[];
    return rows.map(toAttempt);
  }

  async redrive(tenantId: number | null, deliveryId: string, at: string): Promise<RedriveOutcome> {
    const found = await this.findDelivery(tenantId, deliveryId);
    if (found === undefined) return "not_found";
    if (found.status !== "dead") return "not_dead";
    if ((await this.findChannel(tenantId, found.channelId)) === undefined) return "channel_missing";
    const done = this.#db
      .prepare(
        `UPDATE notification_deliveries SET status = 'pending', next_attempt_at = ?, claimed_by = NULL,
          claimed_until = NULL WHERE tenant_id IS ? AND delivery_id = ? AND status = 'dead'`,
      )
      .run(at, tenantId, deliveryId);
    return done.changes === 1 ? "redriven" : "not_dead";
  }

  async outboxStats(): Promise<OutboxStats> {
    if (!this.#hasTables) return { pending: 0, dead: 0, oldestPendingAt: null };
    const row = this.#db
      .prepare(
        `SELECT coalesce(sum(status = 'pending'), 0) AS pending, coalesce(sum(status = 'dead'), 0) AS dead,
          min(CASE WHEN status = 'pending' THEN created_at END) AS oldest FROM notification_deliveries`,
      )
      .get() as { pending: number; dead: number; oldest: string | null };
    return { pending: row.pending, dead: row.dead, oldestPendingAt: row.oldest };
  }
}
