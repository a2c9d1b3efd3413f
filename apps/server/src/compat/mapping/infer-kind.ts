// The kind and category of an unregistered action a source names only by its
// name: Trailproof needs both for an action without a schema, the sources
// carry neither. Guessed from the verbs in the action's segments. Two
// vocabularies, because events already stored depend on each (a redelivered
// event must map to the same bytes): the broad one of the event-name sources
// (OTLP, CloudEvents) and the WorkOS one docs/compat.md lists.
import type { ActionCategory, ActionKind } from "@trailproof/core";

/** A source's verbs and how an action's kind and category follow from them. */
export interface KindVocabulary {
  verbs: Readonly<Record<string, ActionKind>>;
  /** Only the last segment is read (true), or every segment, last first (`user.login.failed` is a login). */
  lastSegmentOnly: boolean;
  categoryOf: (kind: ActionKind) => ActionCategory;
}

function table(groups: readonly [ActionKind, string][]): Record<string, ActionKind> {
  const verbs: Record<string, ActionKind> = {};
  for (const [kind, words] of groups) for (const w of words.split(" ")) verbs[w] = kind;
  return verbs;
}

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

/** The category an action of `kind` most likely belongs to. */
export function categoryOfKind(kind: ActionKind): ActionCategory {
  return CATEGORY_OF_KIND[kind];
}

/** OTLP event names and CloudEvents types: many verbs, every segment read, the category from the kind. */
export const EVENT_NAME_VERBS: KindVocabulary = {
  verbs: table([
    ["create", "create created add added new insert inserted register registered invite invited upload uploaded"],
    [
      "update",
      "update updated change changed edit edited modify modified set rename renamed patch patched enable enabled disable disabled",
    ],
    ["delete", "delete deleted remove removed destroy destroyed purge purged erase erased"],
    ["read", "read view viewed get list listed access accessed download downloaded search searched open opened"],
    ["login", "login logged_in signin sign_in signed_in authenticate authenticated"],
    ["logout", "logout logged_out signout sign_out signed_out"],
    ["export", "export exported"],
    ["execute", "execute executed run ran start started trigger triggered"],
    ["deploy", "deploy deployed release released"],
    ["install", "install installed uninstall uninstalled"],
    ["permission_change", "grant granted revoke revoked permission_changed role_changed"],
    ["config_change", "configure configured config_changed settings_changed setting_changed"],
  ]),
  lastSegmentOnly: false,
  categoryOf: categoryOfKind,
};

/** WorkOS actions (docs/compat.md, WorkOS mapping): the last word only; login and logout are authentication, the rest data. */
export const WORKOS_VERBS: KindVocabulary = {
  verbs: table([
    ["create", "created create added invited"],
    ["update", "updated update changed edited renamed enabled disabled"],
    ["delete", "deleted delete removed revoked"],
    ["read", "viewed read accessed downloaded"],
    ["export", "exported"],
    ["login", "signed_in logged_in login"],
    ["logout", "signed_out logged_out logout"],
  ]),
  lastSegmentOnly: true,
  categoryOf: (kind) => (kind === "login" || kind === "logout" ? "authentication" : "data"),
};

/**
 * Fills the kind and category a sender left out of `event` with the guess
 * for `action`, when the tenant registers no schema for it (a registered
 * action brings its own, and a guess that differs would be refused).
 */
export function guessKindUnlessRegistered(
  event: { kind?: unknown; category?: unknown },
  action: string,
  registered: boolean,
  vocabulary: KindVocabulary,
): void {
  if (registered) return;
  const guessed = inferKind(action, vocabulary);
  event.kind ??= guessed.kind;
  event.category ??= guessed.category;
}

/** The kind and category `action`'s verbs name in `vocabulary`; kind `execute` when none is known. */
export function inferKind(action: string, vocabulary: KindVocabulary): { kind: ActionKind; category: ActionCategory } {
  const segments = vocabulary.lastSegmentOnly
    ? [action.slice(action.lastIndexOf(".") + 1)]
    : action.split(".").reverse();
  let kind: ActionKind = "execute";
  for (const s of segments) {
    const found = Object.hasOwn(vocabulary.verbs, s) ? vocabulary.verbs[s] : undefined;
    if (found !== undefined) {
      kind = found;
      break;
    }
  }
  return { kind, category: vocabulary.categoryOf(kind) };
}
