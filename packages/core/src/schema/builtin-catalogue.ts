// The built-in action catalogue: the no-code taxonomy every Trailproof log
// starts with, version 1 of each action and version 2 of the policy actions.
// Platforms register their own actions (or later versions of these) through
// the registry.
import type { ActionDefinition } from "./action-definition.js";
import { accessActions } from "./catalogue-access.js";
import { builderActions } from "./catalogue-builder.js";
import { dataActions } from "./catalogue-data.js";
import { detectActions } from "./catalogue-detect.js";
import { metaAuditActions } from "./catalogue-meta-audit.js";
import { notifyActions } from "./catalogue-notify.js";
import { policyActions } from "./catalogue-policy.js";
import { reportActions } from "./catalogue-reports.js";
import { streamActions } from "./catalogue-streams.js";

export const builtinCatalogue: readonly ActionDefinition[] = [
  ...builderActions,
  ...accessActions,
  ...dataActions,
  ...metaAuditActions,
  ...detectActions,
  ...reportActions,
  ...notifyActions,
  ...streamActions,
  ...policyActions,
];

/**
 * The actions only the service itself records (meta-audit, keys, people,
 * schema and tenant changes, rules and alerts, reports, notification
 * channels, SIEM streams). Ingest refuses them, so a platform's key cannot forge what looks
 * like the service's own record.
 */
const SERVICE_ACTIONS = new Set(
  [...metaAuditActions, ...detectActions, ...reportActions, ...notifyActions, ...streamActions].map((d) => d.action),
);

export function isServiceAction(action: unknown): boolean {
  return typeof action === "string" && SERVICE_ACTIONS.has(action);
}

/**
 * The catalogue a tenant's log validates against: the built-in actions and
 * the tenant's own registered versions. Where a tenant registered a version
 * number the built-in catalogue only gained later (say its own version 2 of
 * policy.evaluate), the tenant's stays: it was in force for that log first,
 * and its events were sealed against it.
 */
export function tenantCatalogue(stored: readonly ActionDefinition[]): ActionDefinition[] {
  const own = new Set(stored.map((d) => `${d.action}@${d.version}`));
  return [...builtinCatalogue.filter((d) => !own.has(`${d.action}@${d.version}`)), ...stored];
}
