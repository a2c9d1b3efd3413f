// The closed vocabularies of the Trailproof action taxonomy (log format v1):
// action kinds, categories, risk levels and privacy classes. Adding a value is
// a log-format change, so these lists only grow with a new schema_version.

/** What an action does. Closed: an unknown kind is refused, never guessed. */
export const ACTION_KINDS = [
  "read",
  "create",
  "update",
  "delete",
  "permission_change",
  "execute",
  "deploy",
  "install",
  "wire",
  "login",
  "logout",
  "export",
  "policy_evaluation",
  "config_change",
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** Which area of the platform an action touches. */
export const ACTION_CATEGORIES = [
  "configuration",
  "data",
  "workflow",
  "access",
  "governance",
  "authentication",
  "system",
] as const;
export type ActionCategory = (typeof ACTION_CATEGORIES)[number];

/** Ordered from least to most severe. */
export const RISK_LEVELS = ["low", "medium", "high", "critical"] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/**
 * How a field is treated at commit time: `secret` values are removed before
 * anything is stored, `personal` values are replaced by salted commitments,
 * `internal` and `public` are labels for readers and are stored as sent.
 */
export const PRIVACY_CLASSES = ["public", "internal", "personal", "secret"] as const;
export type PrivacyClass = (typeof PRIVACY_CLASSES)[number];

/** Dotted lower-case `<resource>.<verb>`, e.g. `app.page.update`. */
export const ACTION_NAME_PATTERN = "^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$";
export const MAX_ACTION_NAME_LENGTH = 128;

const actionName = new RegExp(ACTION_NAME_PATTERN);

export function isActionName(value: unknown): value is string {
  return typeof value === "string" && value.length <= MAX_ACTION_NAME_LENGTH && actionName.test(value);
}

export function isActionKind(value: unknown): value is ActionKind {
  return (ACTION_KINDS as readonly unknown[]).includes(value);
}

export function isActionCategory(value: unknown): value is ActionCategory {
  return (ACTION_CATEGORIES as readonly unknown[]).includes(value);
}

export function isRiskLevel(value: unknown): value is RiskLevel {
  return (RISK_LEVELS as readonly unknown[]).includes(value);
}

export function isPrivacyClass(value: unknown): value is PrivacyClass {
  return (PRIVACY_CLASSES as readonly unknown[]).includes(value);
}
