// StreamStore on PostgreSQL (schema/013-streams.ts): every statement in its
// tenant's row-level security scope; the cursor's compare-and-set is one
// UPDATE whose WHERE names the expected cursor, so of two nodes delivering
// the same batch, one moves it and the other re-reads where it stands.
import { TrailproofError } from "@trailproof/core";
import type { ChannelSecretSealer } from "../../keys/channel-secrets.js";
import { progressOf, type StreamRow, streamSecretKey, toProgress, toStream } from "../stream-rows.js";
import type { StreamAdvance, StreamProgress, StreamRecord, StreamStatus, StreamStore } from "../stream-store.js";
import type { PgSql } from "./postgres-client.js";
import { inTenant } from "./tenant-scope.js";

export class PostgresStreamStore implements StreamStore {
  readonly #sql: PgSql;
  readonly #secrets: ChannelSecretSealer;

  /** Requires the schema migrated and `sql` connected as the app role. */
  constructor(sql: PgSql, secrets: ChannelSecretSealer) {
    this.#sql = sql;
    this.#secrets = secrets;
  }

  async insertStream(r: StreamRecord, cursor: number | StreamProgress, secret: string | undefined): Promise<void> {
    const p = progressOf(cursor);
    const sealed = secret === undefined ? null : this.#secrets.seal(streamSecretKey(r.streamId), secret);
    await inTenant(this.#sql, r.tenantId, async (tx) => {
      await tx`INSERT INTO streams (stream_id, tenant_id, name, destination_type, destination, format, filter, personal,
          status, secret_sealed, created_at, created_by, updated_at, updated_by, covered, last_sent, delivered,
          last_delivered_at, last_error, last_error_at)
        VALUES (${r.streamId}, ${r.tenantId}, ${r.name}, ${r.destinationType}, ${tx.json(r.destination)}, ${r.format},
          ${r.filter}, ${r.personal}, ${r.status}, ${sealed}, ${r.createdAt}, ${r.createdBy}, ${r.updatedAt},
          ${r.updatedBy}, ${p.covered}, ${p.lastSent}, ${p.delivered}, ${p.lastDeliveredAt}, ${p.lastError},
          ${p.lastErrorAt})`;
    });
  }

  async #row(tenantId: number, streamId: string): Promise<StreamRow | undefined> {
    const [row] = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<StreamRow[]>`SELECT * FROM streams WHERE tenant_id = ${tenantId} AND stream_id = ${streamId}`,
    );
    return row;
  }

  async findStream(tenantId: number, streamId: string): Promise<StreamRecord | undefined> {
    const row = await this.#row(tenantId, streamId);
    return row && toStream(row);
  }

  async listStreams(tenantId: number): Promise<StreamRecord[]> {
    const rows = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<StreamRow[]>`SELECT * FROM streams WHERE tenant_id = ${tenantId} ORDER BY created_at, stream_id`,
    );
    return rows.map(toStream);
  }

  async setStatus(
    tenantId: number,
    streamId: string,
    status: StreamStatus,
    at: string,
    by: string,
  ): Promise<StreamRecord | undefined> {
    const [row] = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<StreamRow[]>`UPDATE streams SET status = ${status}, updated_at = ${at}, updated_by = ${by}
        WHERE tenant_id = ${tenantId} AND stream_id = ${streamId} RETURNING *`,
    );
    return row && toStream(row);
  }

  async setSecret(tenantId: number, streamId: string, secret: string, at: string, by: string): Promise<boolean> {
    const sealed = this.#secrets.seal(streamSecretKey(streamId), secret);
    const rows = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx`UPDATE streams SET secret_sealed = ${sealed}, updated_at = ${at}, updated_by = ${by}
        WHERE tenant_id = ${tenantId} AND stream_id = ${streamId} RETURNING stream_id`,
    );
    return rows.length > 0;
  }

  async streamSecret(tenantId: number, streamId: string): Promise<string | undefined> {
    const row = await this.#row(tenantId, streamId);
    if (row?.secret_sealed == null) return undefined;
    return this.#secrets.open(streamSecretKey(streamId), row.secret_sealed);
  }

  async deleteStream(tenantId: number, streamId: string): Promise<boolean> {
    const rows = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx`DELETE FROM streams WHERE tenant_id = ${tenantId} AND stream_id = ${streamId} RETURNING stream_id`,
    );
    return rows.length > 0;
  }

  async progress(tenantId: number, streamId: string): Promise<StreamProgress | undefined> {
    const row = await this.#row(tenantId, streamId);
    return row && toProgress(row);
  }

  async advance(tenantId: number, streamId: string, a: StreamAdvance): Promise<void> {
    const rows = await inTenant(
      this.#sql,
      tenantId,
      (
        tx,
      ) => tx`UPDATE streams SET covered = ${a.to}, last_sent = ${a.lastSent}, delivered = delivered + ${a.delivered},
          last_delivered_at = CASE WHEN ${a.delivered}::bigint > 0 THEN ${a.at} ELSE last_delivered_at END,
          last_error = NULL, last_error_at = NULL
        WHERE tenant_id = ${tenantId} AND stream_id = ${streamId} AND covered = ${a.from} RETURNING stream_id`,
    );
    if (rows.length === 0) {
      throw new TrailproofError("FOLLOWER_CURSOR_MOVED", `stream ${streamId}'s cursor is no longer at ${a.from}`);
    }
  }

  async recordError(tenantId: number, streamId: string, error: string, at: string): Promise<void> {
    await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx`UPDATE streams SET last_error = ${error}, last_error_at = ${at}
        WHERE tenant_id = ${tenantId} AND stream_id = ${streamId}`,
    );
  }
}
