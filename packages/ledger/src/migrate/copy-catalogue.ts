// Copies the catalogue (API keys, people, sessions, viewer tokens) from a
// SQLite data directory into another store pair, tenant ids translated.
// Rows are inserted where missing; of a row both hold, only the changes the
// service itself makes are carried over, and none is ever undone.
import { TrailproofError } from "@trailproof/core";
import type { AccessStore, ApiKeyRecord } from "../store/access-store.js";
import type { PeopleStore, PersonRecord } from "../store/people-store.js";
import { type CopyCounts, copyCounts, orOperator, tenantIdMap } from "./copy-counts.js";
import type { SqliteSource } from "./sqlite-source.js";

/** updated: rows both held whose change (a revocation, a disabling, new TOTP state) was copied. */
export interface CopiedCatalogue {
  apiKeys: CopyCounts;
  people: CopyCounts;
  sessions: CopyCounts;
  viewerTokens: CopyCounts;
  /** Changes not carried over, each saying why (a revocation the target refuses as its last admin credential). */
  notes: string[];
}

/**
 * Copies the catalogue into `access` and `people`; `tenantIds` maps every
 * source tenant id to the target's. Of rows both sides hold:
 * - an API key or session revoked in the source is revoked in the target,
 *   at the same time (a key through revokeApiKey, so the last-admin rule
 *   still holds); a revocation only the target has is kept;
 * - a person takes the source's TOTP state and recovery codes (the source
 *   is the live service until the switch-over) and its disabling; a
 *   disabling only the target has is kept;
 * - a difference in what never changes (a key's role or secret hash, a
 *   person's password hash or role) throws MIGRATE_DIVERGED.
 */
export async function copyCatalogue(
  source: SqliteSource,
  target: { access: AccessStore; people: PeopleStore },
  tenantIds: ReadonlyMap<number, number>,
): Promise<CopiedCatalogue> {
  const out: CopiedCatalogue = {
    apiKeys: copyCounts(),
    people: copyCounts(),
    sessions: copyCounts(),
    viewerTokens: copyCounts(),
    notes: [],
  };
  const mapId = tenantIdMap(tenantIds);

  const revocations: ApiKeyRecord[] = [];
  for (const key of source.apiKeys()) {
    const r = { ...key, tenantId: orOperator(mapId)(key.tenantId) };
    const existing = await target.access.findApiKey(r.keyId);
    if (existing === undefined) {
      await target.access.insertApiKey(r);
      out.apiKeys.inserted++;
    } else {
      const fixed = ["tenantId", "role", "name", "secretHash", "createdAt", "createdBy"] as const;
      if (fixed.some((f) => existing[f] !== r[f])) throw diverged(`API key ${r.keyId}`);
      if (r.revokedAt !== null && existing.revokedAt === null) revocations.push(r);
      else out.apiKeys.unchanged++;
    }
  }

  const disablings: PersonRecord[] = [];
  for (const person of source.people()) {
    const p = { ...person, tenantId: mapId(person.tenantId) };
    const existing = await target.people.findPerson(p.tenantId, p.username);
    if (existing === undefined) {
      await target.people.insertPerson(p);
      out.people.inserted++;
      continue;
    }
    const fixed = ["displayName", "role", "passwordHash", "createdAt"] as const;
    if (fixed.some((f) => existing[f] !== p[f])) throw diverged(`person ${p.username}`);
    const totpChanged =
      existing.totpSecret !== p.totpSecret ||
      existing.totpEnrolledAt !== p.totpEnrolledAt ||
      existing.totpLastStep !== p.totpLastStep ||
      existing.recoveryHashes.join() !== p.recoveryHashes.join();
    if (totpChanged) await target.people.updatePerson({ ...p, disabledAt: existing.disabledAt });
    if (p.disabledAt !== null && existing.disabledAt === null) disablings.push(p);
    else if (totpChanged) out.people.updated++;
    else out.people.unchanged++;
  }

  // After every key and person is in: the last-admin rule counts them all.
  for (const r of revocations) {
    const outcome = await target.access.revokeApiKey(r.tenantId, r.keyId, r.revokedAt as string);
    if (outcome === "revoked") out.apiKeys.updated++;
    else out.notes.push(`API key ${r.keyId}: its revocation was not copied (${outcome})`);
  }
  for (const p of disablings) {
    const outcome = await target.people.disablePerson(p.tenantId, p.username, p.disabledAt as string);
    if (outcome === "disabled") out.people.updated++;
    else out.notes.push(`person ${p.username}: the disabling was not copied (${outcome})`);
  }

  for (const session of source.sessions()) {
    const s = { ...session, tenantId: mapId(session.tenantId) };
    const existing = await target.people.findSession(s.sessionHash);
    if (existing === undefined) {
      await target.people.insertSession(s);
      out.sessions.inserted++;
    } else if (existing.tenantId !== s.tenantId || existing.username !== s.username) {
      throw diverged(`a session of ${s.username}`);
    } else if (s.revokedAt !== null && existing.revokedAt === null) {
      await target.people.revokeSession(s.sessionHash, s.revokedAt);
      out.sessions.updated++;
    } else out.sessions.unchanged++;
  }

  for (const token of source.viewerTokens()) {
    const t = { ...token, tenantId: mapId(token.tenantId) };
    const existing = await target.people.findViewerToken(t.tokenId);
    if (existing === undefined) {
      await target.people.insertViewerToken(t);
      out.viewerTokens.inserted++;
    } else if (existing.tenantId !== t.tenantId || existing.secretHash !== t.secretHash) {
      throw diverged(`viewer token ${t.tokenId}`);
    } else out.viewerTokens.unchanged++;
  }
  return out;
}

function diverged(what: string): TrailproofError {
  return new TrailproofError(
    "MIGRATE_DIVERGED",
    `${what} differs between the data directory and PostgreSQL in a field that never changes: PostgreSQL holds another catalogue; copy into an empty database instead`,
  );
}
