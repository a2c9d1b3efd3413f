// Who an API key is: the session endpoint if it ever answers for bearer keys,
// otherwise the highest role whose read the key is allowed (settings are
// admin-only, the verifier key auditor-only). Only operators use this path.
import type { ApiClient } from "../api/api-client.js";
import { ApiError } from "../api/api-error.js";
import type { SessionUser, TenantSettings, VerifierKeys } from "../api/types.js";
import { isRole } from "./roles.js";

export async function identifyApiKey(api: ApiClient): Promise<SessionUser> {
  try {
    const session = await api.get<{ user: SessionUser }>("/v1/auth/session");
    if (isRole(session.user?.role)) return session.user;
  } catch (err) {
    // The session endpoint answers for cookies only; a key is judged below.
    if (!(err instanceof ApiError)) throw err;
  }
  const user = (role: SessionUser["role"], tenant: string): SessionUser => ({
    username: "api-key",
    display_name: "API key",
    role,
    tenant,
  });
  try {
    const settings = await api.get<TenantSettings>("/v1/settings");
    return user("admin", settings.tenant);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 403) throw err;
  }
  try {
    const keys = await api.get<VerifierKeys>("/v1/log/key");
    return user("auditor", keys.origin.split("/").pop() ?? keys.origin);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 403) throw err;
  }
  // Reading events proves the key can read at all (ingest keys cannot).
  await api.get("/v1/events", { limit: 1 });
  return user("viewer", "");
}
