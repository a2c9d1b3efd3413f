// Embedded viewer tokens: `tpv_<id>_<secret>`, read-only, one tenant, at most
// an hour, optionally pinned to a filter (one workspace, say) that every read
// made with them must satisfy. Only a hash of the secret is stored.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { PeopleStore, ViewerTokenRecord } from "@trailproof/ledger";
import { MAX_VIEWER_TOKEN_TTL_S } from "@trailproof/protocol";

const TOKEN_PATTERN = /^tpv_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

// The wire contract states the bound; issuing holds to it.
export { MAX_VIEWER_TOKEN_TTL_S };

const hash = (value: string) => createHash("sha256").update(value).digest("hex");

export async function issueViewerToken(
  people: PeopleStore,
  options: Omit<ViewerTokenRecord, "tokenId" | "secretHash" | "createdAt" | "expiresAt"> & { ttlSeconds: number },
): Promise<{ token: string; record: ViewerTokenRecord }> {
  const tokenId = randomBytes(8).toString("hex");
  const secret = randomBytes(32).toString("base64url");
  const now = Date.now();
  const { ttlSeconds, ...rest } = options;
  const record: ViewerTokenRecord = {
    ...rest,
    tokenId,
    secretHash: hash(secret),
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + Math.min(ttlSeconds, MAX_VIEWER_TOKEN_TTL_S) * 1000).toISOString(),
  };
  await people.insertViewerToken(record);
  return { token: `tpv_${tokenId}_${secret}`, record };
}

export function isViewerToken(presented: string): boolean {
  return presented.startsWith("tpv_");
}

/** The live token record, or undefined for anything malformed, unknown, wrong or expired. */
export async function authenticateViewerToken(people: PeopleStore, presented: string, now = Date.now()) {
  const m = TOKEN_PATTERN.exec(presented);
  if (!m) return undefined;
  const record = await people.findViewerToken(m[1] as string);
  if (!record || Date.parse(record.expiresAt) <= now) return undefined;
  const expected = Buffer.from(record.secretHash, "hex");
  const actual = Buffer.from(hash(m[2] as string), "hex");
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? record : undefined;
}
