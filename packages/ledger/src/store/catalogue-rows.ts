// The catalogue's rows as both backends store them (the same snake_case
// columns in SQLite and PostgreSQL) and the records the contracts speak.
// The two list-valued columns arrive as JSON text from SQLite and already
// decoded from PostgreSQL (text[] and jsonb); the mappers take either.
import type { JsonObject } from "@trailproof/core";
import type { ApiKeyRecord, PlatformKeyRecord } from "./access-store.js";
import type { ApprovalRecord } from "./approval-store.js";
import type { PersonRecord, SessionRecord, ViewerTokenRecord } from "./people-store.js";

export interface ApiKeyRow {
  key_id: string;
  tenant_id: number | null;
  role: ApiKeyRecord["role"];
  name: string;
  secret_hash: string;
  created_at: string;
  created_by: string | null;
  revoked_at: string | null;
}

export interface PlatformKeyRow {
  key_id: string;
  name: string;
  secret_hash: string;
  /** JSON text (SQLite) or an array (PostgreSQL jsonb); NULL: every tenant. */
  tenants: string | string[] | null;
  /** 0/1 (SQLite) or a boolean (PostgreSQL). */
  create_tenants: number | boolean;
  unknown_actions: PlatformKeyRecord["unknownActions"];
  created_at: string;
  created_by: string | null;
  revoked_at: string | null;
}

export interface PersonRow {
  tenant_id: number;
  username: string;
  display_name: string;
  role: PersonRecord["role"];
  password_hash: string;
  totp_secret: string | null;
  totp_enrolled_at: string | null;
  totp_last_step: number;
  /** JSON text (SQLite) or an array (PostgreSQL). */
  recovery_hashes: string | string[];
  created_at: string;
  disabled_at: string | null;
}

export interface SessionRow {
  session_hash: string;
  tenant_id: number;
  username: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface ViewerTokenRow {
  token_id: string;
  tenant_id: number;
  secret_hash: string;
  viewer_id: string;
  viewer_name: string | null;
  /** JSON text (SQLite) or an object (PostgreSQL). */
  filter: string | Record<string, string>;
  created_by: string;
  created_at: string;
  expires_at: string;
}

const decoded = <T>(value: string | T): T => (typeof value === "string" ? (JSON.parse(value) as T) : value);

export const toApiKey = (r: ApiKeyRow): ApiKeyRecord => ({
  keyId: r.key_id,
  tenantId: r.tenant_id,
  role: r.role,
  name: r.name,
  secretHash: r.secret_hash,
  createdAt: r.created_at,
  createdBy: r.created_by,
  revokedAt: r.revoked_at,
});

export const toPlatformKey = (r: PlatformKeyRow): PlatformKeyRecord => ({
  keyId: r.key_id,
  name: r.name,
  secretHash: r.secret_hash,
  tenants: r.tenants === null ? "all" : decoded<string[]>(r.tenants),
  createTenants: r.create_tenants === true || r.create_tenants === 1,
  unknownActions: r.unknown_actions,
  createdAt: r.created_at,
  createdBy: r.created_by,
  revokedAt: r.revoked_at,
});

export const toPerson = (r: PersonRow): PersonRecord => ({
  tenantId: r.tenant_id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  passwordHash: r.password_hash,
  totpSecret: r.totp_secret,
  totpEnrolledAt: r.totp_enrolled_at,
  totpLastStep: r.totp_last_step,
  recoveryHashes: decoded<string[]>(r.recovery_hashes),
  createdAt: r.created_at,
  disabledAt: r.disabled_at,
});

export const toSession = (r: SessionRow): SessionRecord => ({
  sessionHash: r.session_hash,
  tenantId: r.tenant_id,
  username: r.username,
  csrfToken: r.csrf_token,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

export const toViewerToken = (r: ViewerTokenRow): ViewerTokenRecord => ({
  tokenId: r.token_id,
  tenantId: r.tenant_id,
  secretHash: r.secret_hash,
  viewerId: r.viewer_id,
  viewerName: r.viewer_name,
  filter: decoded<Record<string, string>>(r.filter),
  createdBy: r.created_by,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

export interface ApprovalRow {
  approval_id: string;
  tenant_id: number;
  action: string;
  /** JSON text (SQLite) or an object (PostgreSQL jsonb). */
  request: string | JsonObject;
  requested_by: string;
  requester_owner: string;
  status: ApprovalRecord["status"];
  created_at: string;
  expires_at: string;
  decided_by: string | null;
  decided_at: string | null;
  outcome: string | JsonObject | null;
}

const json = (v: string | JsonObject): JsonObject => (typeof v === "string" ? (JSON.parse(v) as JsonObject) : v);

export function toApproval(row: ApprovalRow): ApprovalRecord {
  return {
    approvalId: row.approval_id,
    tenantId: Number(row.tenant_id),
    action: row.action,
    request: json(row.request),
    requestedBy: row.requested_by,
    requesterOwner: row.requester_owner,
    status: row.status,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    outcome: row.outcome === null ? null : json(row.outcome),
  };
}
