// StreamStore on the SQLite catalogue (trailproof.db). One process owns a
// data directory, so the cursor's compare-and-set is one UPDATE whose WHERE
// names the expected cursor.
import { TrailproofError } from "@trailproof/core";
import type { ChannelSecretSealer } from "../../keys/channel-secrets.js";
import { progressOf, type StreamRow, streamSecretKey, toProgress, toStream } from "../stream-rows.js";
import type { StreamAdvance, StreamProgress, StreamRecord, StreamStatus, StreamStore } from "../stream-store.js";
import type { SqliteDatabase } from "./sqlite-database.js";

const DDL = `
CREATE TABLE IF NOT EXISTS streams (
  stream_id TEXT PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (tenant_id),
  name TEXT NOT NULL,
  destination_type TEXT NOT NULL,
  destination TEXT NOT NULL CHECK (json_type(destination) = 'object'),
  format TEXT NOT NULL,
  filter TEXT NOT NULL,
  personal TEXT NOT NULL CHECK (personal IN ('drop', 'pseudonymise')),
  status TEXT NOT NULL CHECK (status IN ('active', 'paused')),
  secret_sealed TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  covered INTEGER NOT NULL CHECK (covered >= 0),
  last_sent INTEGER,
  delivered INTEGER NOT NULL DEFAULT 0,
  last_delivered_at TEXT,
  last_error TEXT,
  last_error_at TEXT
);
CREATE INDEX IF NOT EXISTS streams_tenant ON streams (tenant_id, created_at);
`;

export class SqliteStreamStore implements StreamStore {
  readonly #db: SqliteDatabase;
  readonly #secrets: ChannelSecretSealer;
  readonly #hasTable: boolean;

  /** Requires the log schema (tenants) to exist: construct after SqliteStore. */
  constructor(db: SqliteDatabase, secrets: ChannelSecretSealer) {
    this.#db = db;
    this.#secrets = secrets;
    if (db.readonly !== true) db.exec(DDL);
    this.#hasTable =
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'streams'").get() !== undefined;
  }

  async insertStream(r: StreamRecord, cursor: number | StreamProgress, secret: string | undefined): Promise<void> {
    const p = progressOf(cursor);
    this.#db
      .prepare(
        `INSERT INTO streams (stream_id, tenant_id, name, destination_type, destination, format, filter, personal, status,
          secret_sealed, created_at, created_by, updated_at, updated_by, covered, last_sent, delivered, last_delivered_at,
          last_error, last_error_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        r.streamId,
        r.tenantId,
        r.name,
        r.destinationType,
        JSON.stringify(r.destination),
        r.format,
        r.filter,
        r.personal,
        r.status,
        secret === undefined ? null : this.#secrets.seal(streamSecretKey(r.streamId), secret),
        r.createdAt,
        r.createdBy,
        r.updatedAt,
        r.updatedBy,
        p.covered,
        p.lastSent,
        p.delivered,
        p.lastDeliveredAt,
        p.lastError,
        p.lastErrorAt,
      );
  }

  #row(tenantId: number, streamId: string): StreamRow | undefined {
    if (!this.#hasTable) return undefined;
    return this.#db.prepare("SELECT * FROM streams WHERE tenant_id = ? AND stream_id = ?").get(tenantId, streamId) as
      | StreamRow
      | undefined;
  }

  async findStream(tenantId: number, streamId: string): Promise<StreamRecord | undefined> {
    const row = this.#row(tenantId, streamId);
    return row && toStream(row);
  }

  async listStreams(tenantId: number): Promise<StreamRecord[]> {
    if (!this.#hasTable) return [];
    const rows = this.#db
      .prepare("SELECT * FROM streams WHERE tenant_id = ? ORDER BY created_at, stream_id")
      .all(tenantId) as StreamRow[];
    return rows.map(toStream);
  }

  async setStatus(
    tenantId: number,
    streamId: string,
    status: StreamStatus,
    at: string,
    by: string,
  ): Promise<StreamRecord | undefined> {
    this.#db
      .prepare("UPDATE streams SET status = ?, updated_at = ?, updated_by = ? WHERE tenant_id = ? AND stream_id = ?")
      .run(status, at, by, tenantId, streamId);
    return this.findStream(tenantId, streamId);
  }

  async setSecret(tenantId: number, streamId: string, secret: string, at: string, by: string): Promise<boolean> {
    const sealed = this.#secrets.seal(streamSecretKey(streamId), secret);
    const { changes } = this.#db
      .prepare(
        "UPDATE streams SET secret_sealed = ?, updated_at = ?, updated_by = ? WHERE tenant_id = ? AND stream_id = ?",
      )
      .run(sealed, at, by, tenantId, streamId);
    return changes > 0;
  }

  async streamSecret(tenantId: number, streamId: string): Promise<string | undefined> {
    const row = this.#row(tenantId, streamId);
    if (row?.secret_sealed == null) return undefined;
    return this.#secrets.open(streamSecretKey(streamId), row.secret_sealed);
  }

  async deleteStream(tenantId: number, streamId: string): Promise<boolean> {
    const { changes } = this.#db
      .prepare("DELETE FROM streams WHERE tenant_id = ? AND stream_id = ?")
      .run(tenantId, streamId);
    return changes > 0;
  }

  async progress(tenantId: number, streamId: string): Promise<StreamProgress | undefined> {
    const row = this.#row(tenantId, streamId);
    return row && toProgress(row);
  }

  async advance(tenantId: number, streamId: string, a: StreamAdvance): Promise<void> {
    const { changes } = this.#db
      .prepare(
        `UPDATE streams SET covered = ?, last_sent = ?, delivered = delivered + ?,
           last_delivered_at = CASE WHEN ? > 0 THEN ? ELSE last_delivered_at END, last_error = NULL, last_error_at = NULL
         WHERE tenant_id = ? AND stream_id = ? AND covered = ?`,
      )
      .run(a.to, a.lastSent, a.delivered, a.delivered, a.at, tenantId, streamId, a.from);
    if (changes === 0) {
      throw new TrailproofError("FOLLOWER_CURSOR_MOVED", `stream ${streamId}'s cursor is no longer at ${a.from}`);
    }
  }

  async recordError(tenantId: number, streamId: string, error: string, at: string): Promise<void> {
    this.#db
      .prepare("UPDATE streams SET last_error = ?, last_error_at = ? WHERE tenant_id = ? AND stream_id = ?")
      .run(error, at, tenantId, streamId);
  }
}
