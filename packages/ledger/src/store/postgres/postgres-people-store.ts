// PeopleStore on PostgreSQL (schema/002-catalogue.ts): every method in its
// tenant's row-level security scope; sessions and viewer tokens are found by
// their secret id, before the tenant is known, only through narrow functions.
import {
  type PersonRow,
  type SessionRow,
  toPerson,
  toSession,
  toViewerToken,
  type ViewerTokenRow,
} from "../catalogue-rows.js";
import type { PeopleStore, PersonRecord, SessionRecord, ViewerTokenRecord } from "../people-store.js";
import { countAdminCredentials, lockAdminCredentials } from "./postgres-catalogue-admins.js";
import type { PgSql } from "./postgres-client.js";
import { inTenant } from "./tenant-scope.js";

export class PostgresPeopleStore implements PeopleStore {
  readonly #sql: PgSql;

  /** Requires the schema migrated and `sql` connected as the app role. */
  constructor(sql: PgSql) {
    this.#sql = sql;
  }

  async insertPerson(p: PersonRecord): Promise<void> {
    await inTenant(this.#sql, p.tenantId, async (tx) => {
      await tx`INSERT INTO people (tenant_id, username, display_name, role, password_hash, totp_secret,
          totp_enrolled_at, totp_last_step, recovery_hashes, created_at, disabled_at)
        VALUES (${p.tenantId}, ${p.username}, ${p.displayName}, ${p.role}, ${p.passwordHash}, ${p.totpSecret},
          ${p.totpEnrolledAt}, ${p.totpLastStep}, ${tx.array(p.recoveryHashes)}::text[], ${p.createdAt}, ${p.disabledAt})`;
    });
  }

  async findPerson(tenantId: number, username: string): Promise<PersonRecord | undefined> {
    const [row] = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<PersonRow[]>`SELECT * FROM people WHERE tenant_id = ${tenantId} AND username = ${username}`,
    );
    return row && toPerson(row);
  }

  async listPeople(tenantId: number): Promise<PersonRecord[]> {
    const rows = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<PersonRow[]>`SELECT * FROM people WHERE tenant_id = ${tenantId} ORDER BY username`,
    );
    return rows.map(toPerson);
  }

  async updatePerson(p: PersonRecord): Promise<void> {
    // Only the mutable columns: the app role may update no others (schema/002-catalogue.ts).
    await inTenant(this.#sql, p.tenantId, async (tx) => {
      await tx`UPDATE people SET totp_secret = ${p.totpSecret}, totp_enrolled_at = ${p.totpEnrolledAt},
          totp_last_step = ${p.totpLastStep}, recovery_hashes = ${tx.array(p.recoveryHashes)}::text[],
          disabled_at = ${p.disabledAt}
        WHERE tenant_id = ${p.tenantId} AND username = ${p.username}`;
    });
  }

  async disablePerson(
    tenantId: number,
    username: string,
    at: string,
  ): Promise<"disabled" | "already_disabled" | "not_found" | "last_admin"> {
    return inTenant(this.#sql, tenantId, async (tx) => {
      await lockAdminCredentials(tx, tenantId);
      const [row] = await tx<Pick<PersonRow, "role" | "disabled_at">[]>`
        SELECT role, disabled_at FROM people WHERE tenant_id = ${tenantId} AND username = ${username}`;
      if (!row) return "not_found";
      if (row.disabled_at !== null) return "already_disabled";
      if (row.role === "admin" && (await countAdminCredentials(tx, tenantId)) <= 1) return "last_admin";
      await tx`UPDATE people SET disabled_at = ${at} WHERE tenant_id = ${tenantId} AND username = ${username}`;
      return "disabled";
    });
  }

  async insertSession(s: SessionRecord): Promise<void> {
    await inTenant(this.#sql, s.tenantId, async (tx) => {
      await tx`INSERT INTO sessions (session_hash, tenant_id, username, csrf_token, created_at, expires_at, revoked_at)
        VALUES (${s.sessionHash}, ${s.tenantId}, ${s.username}, ${s.csrfToken}, ${s.createdAt}, ${s.expiresAt}, ${s.revokedAt})`;
    });
  }

  async findSession(sessionHash: string): Promise<SessionRecord | undefined> {
    // sessionHash is derived from the presented cookie: untrusted, but only ever a parameter.
    const [row] = await this.#sql<SessionRow[]>`SELECT * FROM find_session(${sessionHash})`;
    return row && toSession(row);
  }

  async revokeSession(sessionHash: string, at: string): Promise<void> {
    // The tenant is not given: read it through the lookup, then change the row in its scope.
    const session = await this.findSession(sessionHash);
    if (!session) return;
    await inTenant(this.#sql, session.tenantId, async (tx) => {
      await tx`UPDATE sessions SET revoked_at = ${at}
        WHERE session_hash = ${sessionHash} AND tenant_id = ${session.tenantId} AND revoked_at IS NULL`;
    });
  }

  async revokeSessionsOf(tenantId: number, username: string, at: string): Promise<void> {
    await inTenant(this.#sql, tenantId, async (tx) => {
      await tx`UPDATE sessions SET revoked_at = ${at}
        WHERE tenant_id = ${tenantId} AND username = ${username} AND revoked_at IS NULL`;
    });
  }

  async insertViewerToken(t: ViewerTokenRecord): Promise<void> {
    await inTenant(this.#sql, t.tenantId, async (tx) => {
      await tx`INSERT INTO viewer_tokens (token_id, tenant_id, secret_hash, viewer_id, viewer_name, filter,
          created_by, created_at, expires_at)
        VALUES (${t.tokenId}, ${t.tenantId}, ${t.secretHash}, ${t.viewerId}, ${t.viewerName}, ${tx.json(t.filter)},
          ${t.createdBy}, ${t.createdAt}, ${t.expiresAt})`;
    });
  }

  async listViewerTokens(tenantId: number, now: string): Promise<ViewerTokenRecord[]> {
    const rows = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<ViewerTokenRow[]>`SELECT * FROM viewer_tokens WHERE tenant_id = ${tenantId} AND expires_at > ${now}
        ORDER BY created_at DESC, token_id DESC`,
    );
    return rows.map(toViewerToken);
  }

  async findViewerToken(tokenId: string): Promise<ViewerTokenRecord | undefined> {
    // tokenId comes from the presented token: untrusted, but only ever a parameter.
    const [row] = await this.#sql<ViewerTokenRow[]>`SELECT * FROM find_viewer_token(${tokenId})`;
    return row && toViewerToken(row);
  }
}
