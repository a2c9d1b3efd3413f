// The action, kind and category of a Kubernetes audit event
// (docs/compat.md "Kubernetes audit webhook"): `k8s.<group>.<resource>
// [.<subresource>].<verb>` in the envelope's dotted lower-case form, and a
// kind and category that depend on the action name alone, so that a schema
// registered for the action agrees with every event of it.
import type { ActionCategory, ActionKind } from "@trailproof/core";
import { toActionSegment as segment } from "../mapping/source-names.js";
import type { AuditEvent } from "./audit-event.js";

const READ_VERBS = new Set(["get", "list", "watch"]);
const UPDATE_VERBS = new Set(["update", "patch"]);
const DELETE_VERBS = new Set(["delete", "deletecollection"]);
/** Verbs that grant or assume permissions (RBAC's special verbs, CSR approval). */
const PERMISSION_VERBS = new Set(["impersonate", "bind", "escalate", "approve", "sign"]);
const RBAC_GROUP = "rbac.authorization.k8s.io";
const EXEC_SUBRESOURCES = new Set(["exec", "attach", "portforward", "proxy"]);

export interface AuditAction {
  action: string;
  kind: ActionKind;
  category: ActionCategory;
}

/**
 * The action of `e`: `k8s.core.pods.create`, `k8s.apps.deployments.scale.update`,
 * `k8s.rbac_authorization_k8s_io.rolebindings.create`; requests for a URL
 * that names no resource (`/healthz`, `/version`) are `k8s.non_resource.<verb>`.
 */
export function auditActionOf(e: AuditEvent): AuditAction {
  const verb = segment(e.verb, 20);
  const ref = e.objectRef;
  if (ref?.resource === undefined || ref.resource === "") {
    return {
      action: `k8s.non_resource.${verb}`,
      kind: READ_VERBS.has(e.verb) ? "read" : "execute",
      category: "system",
    };
  }
  const group = ref.apiGroup ?? "";
  const sub = ref.subresource ?? "";
  const action = [
    "k8s",
    group === "" ? "core" : segment(group, 40),
    segment(ref.resource, 40),
    ...(sub === "" ? [] : [segment(sub, 20)]),
    verb,
  ].join(".");
  const kind = kindOf(e.verb, group, sub);
  const category: ActionCategory =
    kind === "permission_change" ? "access" : group === "authentication.k8s.io" ? "authentication" : "system";
  return { action, kind, category };
}

function kindOf(verb: string, group: string, subresource: string): ActionKind {
  if (PERMISSION_VERBS.has(verb)) return "permission_change";
  if (EXEC_SUBRESOURCES.has(subresource)) return "execute";
  if (READ_VERBS.has(verb)) return "read";
  if (group === RBAC_GROUP && (verb === "create" || UPDATE_VERBS.has(verb) || DELETE_VERBS.has(verb))) {
    return "permission_change";
  }
  if (verb === "create") return "create";
  if (UPDATE_VERBS.has(verb)) return "update";
  if (DELETE_VERBS.has(verb)) return "delete";
  return "execute";
}
