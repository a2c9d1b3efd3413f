// PeopleStore on the same SQLite database as the log.

import {
  type PersonRow,
  type SessionRow,
  toPerson,
  toSession,
  toViewerToken,
  type ViewerTokenRow,
} from "../catalogue-rows.js";
import type { PeopleStore, PersonRecord, SessionRecord, ViewerTokenRecord } from "../people-store.js";
import { ADMIN_CREDENTIALS_SQL } from "./sqlite-access-store.js";
import type { SqliteDatabase } from "./sqlite-database.js";

const DDL = `
CREATE TABLE IF NOT EXISTS people (
  tenant_id INTEGER NOT NULL REFERENCES tenants (tenant_id),
  username TEXT NOT NULL,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('viewer', 'auditor', 'admin')),
  password_hash TEXT NOT NULL,
  totp_secret TEXT,
  totp_enrolled_at TEXT,
  totp_last_step INTEGER NOT NULL DEFAULT 0,
  recovery_hashes TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  disabled_at TEXT,
  PRIMARY KEY (tenant_id, username)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sessions (
  session_hash TEXT PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  username TEXT NOT NULL,
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sessions_person ON sessions (tenant_id, username);
CREATE TABLE IF NOT EXISTS viewer_tokens (
  token_id TEXT PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  secret_hash TEXT NOT NULL,
  viewer_id TEXT NOT NULL,
  viewer_name TEXT,
  filter TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
) WITHOUT ROWID;
`;

export class SqlitePeopleStore implements PeopleStore {
  readonly #db: SqliteDatabase;

  /** Requires the log schema (tenants) to exist: construct after SqliteStore. */
  constructor(db: SqliteDatabase) {
    this.#db = db;
    db.exec(DDL);
  }

  async insertPerson(p: PersonRecord): Promise<void> {
    this.#db
      .prepare(
        `INSERT INTO people (tenant_id, username, display_name, role, password_hash, totp_secret, totp_enrolled_at,
          totp_last_step, recovery_hashes, created_at, disabled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        p.tenantId,
        p.username,
        p.displayName,
        p.role,
        p.passwordHash,
        p.totpSecret,
        p.totpEnrolledAt,
        p.totpLastStep,
        JSON.stringify(p.recoveryHashes),
        p.createdAt,
        p.disabledAt,
      );
  }

  async findPerson(tenantId: number, username: string): Promise<PersonRecord | undefined> {
    const row = this.#db.prepare("SELECT * FROM people WHERE tenant_id = ? AND username = ?").get(tenantId, username);
    return row ? toPerson(row as PersonRow) : undefined;
  }

  async listPeople(tenantId: number): Promise<PersonRecord[]> {
    return (
      this.#db.prepare("SELECT * FROM people WHERE tenant_id = ? ORDER BY username").all(tenantId) as PersonRow[]
    ).map(toPerson);
  }

  async updatePerson(p: PersonRecord): Promise<void> {
    this.#db
      .prepare(
        `UPDATE people SET totp_secret = ?, totp_enrolled_at = ?, totp_last_step = ?, recovery_hashes = ?, disabled_at = ?
          WHERE tenant_id = ? AND username = ?`,
      )
      .run(
        p.totpSecret,
        p.totpEnrolledAt,
        p.totpLastStep,
        JSON.stringify(p.recoveryHashes),
        p.disabledAt,
        p.tenantId,
        p.username,
      );
  }

  async disablePerson(
    tenantId: number,
    username: string,
    at: string,
  ): Promise<"disabled" | "already_disabled" | "not_found" | "last_admin"> {
    const result = this.#db
      .prepare(
        `UPDATE people SET disabled_at = @at WHERE tenant_id = @tenant AND username = @username AND disabled_at IS NULL
          AND (role <> 'admin' OR ${ADMIN_CREDENTIALS_SQL} > 1)`,
      )
      .run({ tenant: tenantId, username, at });
    if (result.changes === 1) return "disabled";
    const person = await this.findPerson(tenantId, username);
    if (!person) return "not_found";
    return person.disabledAt !== null ? "already_disabled" : "last_admin";
  }

  async insertSession(s: SessionRecord): Promise<void> {
    this.#db
      .prepare(
        "INSERT INTO sessions (session_hash, tenant_id, username, csrf_token, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      )
      .run(s.sessionHash, s.tenantId, s.username, s.csrfToken, s.createdAt, s.expiresAt, s.revokedAt);
  }

  async findSession(sessionHash: string): Promise<SessionRecord | undefined> {
    const row = this.#db.prepare("SELECT * FROM sessions WHERE session_hash = ?").get(sessionHash) as
      | SessionRow
      | undefined;
    return row && toSession(row);
  }

  async revokeSession(sessionHash: string, at: string): Promise<void> {
    this.#db
      .prepare("UPDATE sessions SET revoked_at = ? WHERE session_hash = ? AND revoked_at IS NULL")
      .run(at, sessionHash);
  }

  async revokeSessionsOf(tenantId: number, username: string, at: string): Promise<void> {
    this.#db
      .prepare("UPDATE sessions SET revoked_at = ? WHERE tenant_id = ? AND username = ? AND revoked_at IS NULL")
      .run(at, tenantId, username);
  }

  async insertViewerToken(t: ViewerTokenRecord): Promise<void> {
    this.#db
      .prepare(
        `INSERT INTO viewer_tokens (token_id, tenant_id, secret_hash, viewer_id, viewer_name, filter, created_by, created_at, expires_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        t.tokenId,
        t.tenantId,
        t.secretHash,
        t.viewerId,
        t.viewerName,
        JSON.stringify(t.filter),
        t.createdBy,
        t.createdAt,
        t.expiresAt,
      );
  }

  async listViewerTokens(tenantId: number, now: string): Promise<ViewerTokenRecord[]> {
    const rows = this.#db
      .prepare(
        "SELECT * FROM viewer_tokens WHERE tenant_id = ? AND expires_at > ? ORDER BY created_at DESC, token_id DESC",
      )
      .all(tenantId, now) as ViewerTokenRow[];
    return rows.map(toViewerToken);
  }

  async findViewerToken(tokenId: string): Promise<ViewerTokenRecord | undefined> {
    const row = this.#db.prepare("SELECT * FROM viewer_tokens WHERE token_id = ?").get(tokenId) as
      | ViewerTokenRow
      | undefined;
    return row && toViewerToken(row);
  }
}
