// People who sign in to the console (password + TOTP), their sessions, and
// the short-lived read-only viewer tokens a platform embeds. Secrets are
// stored only as hashes: password (scrypt), session and token secrets
// (SHA-256), recovery codes (SHA-256).
import type { TenantRole } from "@trailproof/protocol";

export interface PersonRecord {
  tenantId: number;
  username: string;
  displayName: string;
  role: Exclude<TenantRole, "ingest">;
  passwordHash: string;
  /** Base32 TOTP secret; null until enrolment starts. */
  totpSecret: string | null;
  totpEnrolledAt: string | null;
  /** The last TOTP time step accepted, so a code is never accepted twice. */
  totpLastStep: number;
  /** SHA-256 hex of each unused recovery code. */
  recoveryHashes: string[];
  createdAt: string;
  disabledAt: string | null;
}

export interface SessionRecord {
  sessionHash: string;
  tenantId: number;
  username: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

export interface ViewerTokenRecord {
  tokenId: string;
  tenantId: number;
  secretHash: string;
  viewerId: string;
  viewerName: string | null;
  /** Search parameters always applied to this token's reads (JSON object of strings). */
  filter: Record<string, string>;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
}

export interface PeopleStore {
  insertPerson(person: PersonRecord): Promise<void>;
  findPerson(tenantId: number, username: string): Promise<PersonRecord | undefined>;
  listPeople(tenantId: number): Promise<PersonRecord[]>;
  /** Saves the mutable parts: TOTP state, recovery codes, disabledAt. */
  updatePerson(person: PersonRecord): Promise<void>;
  /**
   * Disables a person. MUST refuse (`last_admin`, changing nothing) when the
   * person has the admin role and no other admin credential of the tenant
   * would remain (an active admin API key or another enabled admin person),
   * atomically with the change, like AccessStore.revokeApiKey.
   */
  disablePerson(
    tenantId: number,
    username: string,
    at: string,
  ): Promise<"disabled" | "already_disabled" | "not_found" | "last_admin">;

  insertSession(session: SessionRecord): Promise<void>;
  findSession(sessionHash: string): Promise<SessionRecord | undefined>;
  revokeSession(sessionHash: string, at: string): Promise<void>;
  /** Revokes every session of one person (on disable). */
  revokeSessionsOf(tenantId: number, username: string, at: string): Promise<void>;

  insertViewerToken(token: ViewerTokenRecord): Promise<void>;
  findViewerToken(tokenId: string): Promise<ViewerTokenRecord | undefined>;
  /** The tenant's tokens not expired at `now`, newest first. */
  listViewerTokens(tenantId: number, now: string): Promise<ViewerTokenRecord[]>;
}
