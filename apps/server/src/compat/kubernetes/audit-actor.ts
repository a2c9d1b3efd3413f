// Who made a Kubernetes request, as an envelope actor: the authenticated user
// acts, and with impersonation (kubectl --as) acts on behalf of the
// impersonated user, so the person or service account that really sent the
// request stays the actor (docs/compat.md "Kubernetes audit webhook").
import { MAX_PRINCIPAL_ID_LENGTH } from "@trailproof/core";
import type { AuditUser } from "./audit-event.js";

export interface AuditPrincipal {
  type: "user" | "service_account" | "system";
  id: string;
}

/**
 * `system:serviceaccount:<ns>:<name>` is a service account, any other
 * `system:` name (nodes, controllers, system:anonymous) the system, anyone
 * else a user; the id is the username (uid when there is none).
 */
export function principalOf(user: AuditUser): AuditPrincipal {
  const username = user.username ?? "";
  const type = username.startsWith("system:serviceaccount:")
    ? "service_account"
    : username.startsWith("system:")
      ? "system"
      : "user";
  const id = username !== "" ? username : (user.uid ?? "");
  return { type, id: id === "" ? "unknown" : id.slice(0, MAX_PRINCIPAL_ID_LENGTH) };
}

/** The actor of a request by `user`, impersonating `impersonated` when given. */
export function auditActorOf(
  user: AuditUser,
  impersonated: AuditUser | undefined,
): AuditPrincipal & { on_behalf_of?: AuditPrincipal } {
  const actor = principalOf(user);
  return impersonated === undefined ? actor : { ...actor, on_behalf_of: principalOf(impersonated) };
}
