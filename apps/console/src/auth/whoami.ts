// Who the console acts as: GET /v1/auth/whoami names the credential sent (an
// API key or the session cookie) with its role and tenant, and never answers
// 401, so neither the sign-in page nor a key's sign-in meets a refusal, and
// every page then asks only what that role may read.
import type { WhoAmI } from "@trailproof/protocol";
import type { ApiClient } from "../api/api-client.js";
import type { SessionUser } from "../api/types.js";
import { isRole } from "./roles.js";

export type Identity =
  | { mode: "api-key"; user: SessionUser }
  | { mode: "cookie"; user: SessionUser; csrfToken: string };

/** A credential the server knows but the console cannot act with; its message is for the person. */
export class UnusableCredentialError extends Error {}

/**
 * The identity a whoami answer names; undefined when the credential is
 * unknown, expired or revoked. Throws UnusableCredentialError for one the
 * console has no use for: an ingest or operator key (it reads no tenant's
 * events) or a viewer token (it is for the embedded viewer, whose filter
 * the console's other pages would not respect).
 */
export function toIdentity(answer: WhoAmI): Identity | undefined {
  if (!answer.authenticated) return undefined;
  if (answer.via === "viewer_token") {
    throw new UnusableCredentialError("a viewer token opens the embedded viewer (/embed), not the console");
  }
  const { role, tenant, id } = answer;
  if (!isRole(role) || typeof tenant !== "string" || id === undefined) {
    throw new UnusableCredentialError(`its role (${role ?? "none"}) reads no tenant's events in the console`);
  }
  const user: SessionUser = { username: id, display_name: answer.name ?? id, role, tenant };
  if (answer.via === "session") {
    if (answer.csrf_token === undefined) throw new UnusableCredentialError("the session has no CSRF token");
    return { mode: "cookie", user, csrfToken: answer.csrf_token };
  }
  return { mode: "api-key", user };
}

/** Asks the server who `api`'s credential is (the bearer key it carries, else the cookie). */
export async function whoAmI(api: ApiClient): Promise<Identity | undefined> {
  return toIdentity(await api.get<WhoAmI>("/v1/auth/whoami"));
}
