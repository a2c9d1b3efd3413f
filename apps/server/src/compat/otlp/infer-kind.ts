// The kind and category of an unregistered action a source names only by its
// name (an OTLP eventName, a CloudEvents type): Trailproof needs both for an
// action without a schema, the sources carry neither. Guessed from the verbs
// in the action's segments, last first (`user.login.failed` is a login);
// shared by the OTLP and CloudEvents endpoints.
import type { ActionCategory, ActionKind } from "@trailproof/core";

const VERBS: Record<string, ActionKind> = {};
const verbs = (kind: ActionKind, words: string) => {
  for (const w of words.split(" ")) VERBS[w] = kind;
};
verbs("create", "create created add added new insert inserted register registered invite invited upload uploaded");
verbs(
  "update",
  "update updated change changed edit edited modify modified set rename renamed patch patched enable enabled disable disabled",
);
verbs("delete", "delete deleted remove removed destroy destroyed purge purged erase erased");
verbs("read", "read view viewed get list listed access accessed download downloaded search searched open opened");
verbs("login", "login logged_in signin sign_in signed_in authenticate authenticated");
verbs("logout", "logout logged_out signout sign_out signed_out");
verbs("export", "export exported");
verbs("execute", "execute executed run ran start started trigger triggered");
verbs("deploy", "deploy deployed release released");
verbs("install", "install installed uninstall uninstalled");
verbs("permission_change", "grant granted revoke revoked permission_changed role_changed");
verbs("config_change", "configure configured config_changed settings_changed setting_changed");

const CATEGORY_OF_KIND: Record<ActionKind, ActionCategory> = {
  create: "data",
  read: "data",
  update: "data",
  delete: "data",
  export: "data",
  login: "authentication",
  logout: "authentication",
  permission_change: "access",
  config_change: "configuration",
  execute: "workflow",
  deploy: "workflow",
  install: "workflow",
  wire: "workflow",
  policy_evaluation: "governance",
};

/** The kind `action`'s verbs name; `execute` when none is known. */
export function inferKind(action: string): ActionKind {
  const segments = action.split(".").reverse();
  for (const s of segments) {
    const kind = VERBS[s];
    if (kind !== undefined) return kind;
  }
  return "execute";
}

/** The category an action of `kind` most likely belongs to. */
export function categoryOfKind(kind: ActionKind): ActionCategory {
  return CATEGORY_OF_KIND[kind];
}
