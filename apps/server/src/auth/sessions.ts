// Console sessions: a random 256-bit cookie value (only its SHA-256 is
// stored), HttpOnly and SameSite=Strict, twelve hours at most, with a CSRF
// token that state-changing requests must echo in a header.
import { createHash, randomBytes } from "node:crypto";
import type { PeopleStore, SessionRecord } from "@trailproof/ledger";

export const SESSION_COOKIE = "tp_session";
export const SESSION_TTL_MS = 12 * 3600_000;

const hash = (value: string) => createHash("sha256").update(value).digest("hex");

export async function createSession(
  people: PeopleStore,
  tenantId: number,
  username: string,
  now = Date.now(),
): Promise<{ cookieValue: string; session: SessionRecord }> {
  const cookieValue = randomBytes(32).toString("base64url");
  const session: SessionRecord = {
    sessionHash: hash(cookieValue),
    tenantId,
    username,
    csrfToken: randomBytes(24).toString("base64url"),
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + SESSION_TTL_MS).toISOString(),
    revokedAt: null,
  };
  await people.insertSession(session);
  return { cookieValue, session };
}

/** The live session for a cookie value, or undefined (unknown, expired, revoked). Untrusted input. */
export async function findLiveSession(people: PeopleStore, cookieValue: string, now = Date.now()) {
  if (!/^[A-Za-z0-9_-]{43}$/.test(cookieValue)) return undefined;
  const session = await people.findSession(hash(cookieValue));
  if (!session || session.revokedAt !== null || Date.parse(session.expiresAt) <= now) return undefined;
  return session;
}

export function sessionHashOf(cookieValue: string): string {
  return hash(cookieValue);
}
