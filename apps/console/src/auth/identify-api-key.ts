// Who an API key is. The server has no "who am I" for keys (/v1/auth/session
// answers for cookies only, so it is never asked), so the role is read from
// what the key may see, asking from the least privileged read up: a viewer
// key is told by its redacted events and meets no refusal; an admin key
// reads settings on the first try; only an auditor key meets one 403 (from
// settings). It runs once at sign-in: the answer is kept with the key.
import type { ApiClient } from "../api/api-client.js";
import { ApiError } from "../api/api-error.js";
import type { EventPage, SessionUser, TenantSettings, VerifierKeys } from "../api/types.js";
import { isRole } from "./roles.js";

function keyUser(role: SessionUser["role"], tenant: string): SessionUser {
  return { username: "api-key", display_name: "API key", role, tenant };
}

/** The tenant of a log origin (`<prefix>/<tenant>`). */
function tenantOfOrigin(origin: string): string {
  return origin.split("/").pop() ?? origin;
}

/** Reads `path`, or undefined when the key's role may not (403); other failures throw. */
async function readIfAllowed<T>(api: ApiClient, path: string): Promise<T | undefined> {
  try {
    return await api.get<T>(path);
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) return undefined;
    throw err;
  }
}

export async function identifyApiKey(api: ApiClient): Promise<SessionUser> {
  // Every reading role may search; an ingest key is refused here, which is the answer for it.
  const sample = await api.get<EventPage>("/v1/events", { limit: 1 });
  const first = sample.events[0];
  // Personal fields are redacted for exactly the roles without read_personal: the viewer.
  if (first?.redacted) return keyUser("viewer", "");
  let keys: VerifierKeys | undefined;
  if (!first) {
    // An empty log shows nothing redacted: the proof key (auditor and up) tells instead.
    keys = await readIfAllowed<VerifierKeys>(api, "/v1/log/key");
    if (!keys) return keyUser("viewer", "");
  }
  const settings = await readIfAllowed<TenantSettings>(api, "/v1/settings");
  if (settings) return keyUser("admin", settings.tenant);
  keys ??= await api.get<VerifierKeys>("/v1/log/key");
  return keyUser("auditor", tenantOfOrigin(keys.origin));
}

/** A kept identity read back from storage; undefined unless it has the shape identifyApiKey gives. */
export function parseKeptUser(text: string | null): SessionUser | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<SessionUser>;
    if (!isRole(value.role) || typeof value.tenant !== "string") return undefined;
    return keyUser(value.role, value.tenant);
  } catch {
    return undefined;
  }
}
