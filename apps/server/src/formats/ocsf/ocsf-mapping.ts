// Which OCSF class and activity an action becomes (docs/ocsf.md has the table
// and the reasons). The built-in catalogue's actions are listed one by one; any
// other action (a tenant's own, or one added later) is mapped by its kind and
// category, so every event has a class and none is dropped.
import type { ActionCategory, ActionKind } from "@trailproof/core";
import { OCSF_CLASSES, type OcsfClassName, OTHER_ACTIVITY } from "./ocsf-classes.js";

export interface OcsfMapping {
  className: OcsfClassName;
  activityId: number;
  /** The activity's name: the class's caption for it, or ours for OTHER_ACTIVITY. */
  activityName: string;
}

type Entry = readonly [OcsfClassName, number] | readonly [OcsfClassName, typeof OTHER_ACTIVITY, string];

/** The built-in catalogue (packages/core/src/schema/catalogue-*.ts), action by action. */
export const BUILTIN_OCSF_MAPPING: Readonly<Record<string, Entry>> = {
  // builder
  "app.create": ["entity_management", 1],
  "app.update": ["entity_management", 3],
  "app.delete": ["entity_management", 4],
  "app.page.update": ["web_resources_activity", 3],
  "component.wire": ["entity_management", 3],
  "template.deploy": ["application_lifecycle", OTHER_ACTIVITY, "Deploy"],
  "package.install": ["application_lifecycle", 1],
  "package.uninstall": ["application_lifecycle", 2],
  "settings.update": ["entity_management", 3],
  // access
  "permission.grant": ["user_access", 1],
  "permission.revoke": ["user_access", 2],
  "role.update": ["entity_management", 3],
  "user.login": ["authentication", 1],
  "user.logout": ["authentication", 2],
  // data
  "record.create": ["datastore_activity", 6],
  "record.update": ["datastore_activity", 2],
  "record.delete": ["datastore_activity", 7],
  "record.read": ["datastore_activity", 1],
  "record.export": ["web_resources_activity", 7],
  "workflow.update": ["entity_management", 3],
  "workflow.run.start": ["application_lifecycle", 3],
  "workflow.run.finish": ["application_lifecycle", 4],
  "integration.connect": ["entity_management", 1],
  "policy.evaluate": ["compliance_finding", 1],
  "policy.update": ["entity_management", 3],
  // the service's own record of reads (meta-audit)
  "audit.search": ["api_activity", 2],
  "audit.event.read": ["api_activity", 2],
  "audit.trace.read": ["api_activity", 2],
  "audit.history.read": ["api_activity", 2],
  "audit.stats.read": ["api_activity", 2],
  "audit.governance.read": ["api_activity", 2],
  "audit.log.read": ["api_activity", 2],
  "audit.proof.read": ["api_activity", 2],
  "audit.verify": ["api_activity", 2],
  "audit.export": ["web_resources_activity", 7],
  "pseudonym.resolve": ["api_activity", 2],
  "integrity.check": ["api_activity", OTHER_ACTIVITY, "Execute"],
  // the service's own record of changes
  "apikey.create": ["account_change", 1],
  "apikey.revoke": ["account_change", 6],
  "person.create": ["account_change", 1],
  "person.disable": ["account_change", 5],
  "viewer_token.create": ["account_change", 1],
  "schema.register": ["entity_management", 1],
  "tenant.create": ["entity_management", 1],
  "tenant.settings.update": ["entity_management", 3],
  "tenant.dual_control.update": ["entity_management", 3],
  "signing_key.rotate": ["entity_management", 3],
  "approval.request": ["entity_management", 1],
  "approval.approve": ["entity_management", 3],
  "approval.reject": ["entity_management", 3],
  "erasure.complete": ["datastore_activity", 7],
  "retention.update": ["entity_management", 3],
  "retention.prune": ["datastore_activity", 7],
  "legal_hold.place": ["entity_management", 1],
  "legal_hold.lift": ["entity_management", 4],
  "rule.create": ["entity_management", 1],
  "rule.update": ["entity_management", 3],
  "rule.delete": ["entity_management", 4],
  "alert.raise": ["detection_finding", 1],
  "alert.acknowledge": ["detection_finding", 2],
  "alert.resolve": ["detection_finding", 3],
  "report.generate": ["web_resources_activity", 7],
  "report_schedule.create": ["entity_management", 1],
  "report_schedule.update": ["entity_management", 3],
  "report_schedule.delete": ["entity_management", 4],
  "channel.create": ["entity_management", 1],
  "channel.update": ["entity_management", 3],
  "channel.delete": ["entity_management", 4],
  "channel.rotate_secret": ["entity_management", 3],
  "delivery.redrive": ["entity_management", 3],
  "stream.create": ["entity_management", 1],
  "stream.pause": ["entity_management", 12],
  "stream.resume": ["entity_management", 13],
  "stream.delete": ["entity_management", 4],
  "stream.rotate_secret": ["entity_management", 3],
};

/** The action's last dotted segment says whether a permission or install change removes. */
function removes(action: string): boolean {
  return /\.(revoke|remove|delete|disable|uninstall)$/.test(action);
}

/** An action the built-in table does not list, by its kind and category. */
function byKind(action: string, kind: ActionKind | undefined, category: ActionCategory | undefined): Entry {
  const data = category === "data";
  switch (kind) {
    case "login":
      return ["authentication", 1];
    case "logout":
      return ["authentication", 2];
    case "permission_change":
      return ["user_access", removes(action) ? 2 : 1];
    case "policy_evaluation":
      return ["compliance_finding", 1];
    case "install":
      return ["application_lifecycle", removes(action) ? 2 : 1];
    case "deploy":
      return ["application_lifecycle", OTHER_ACTIVITY, "Deploy"];
    case "export":
      return ["web_resources_activity", 7];
    case "read":
      return data ? ["datastore_activity", 1] : ["api_activity", 2];
    case "create":
      return data ? ["datastore_activity", 6] : ["entity_management", 1];
    case "update":
      return data ? ["datastore_activity", 2] : ["entity_management", 3];
    case "delete":
      return data ? ["datastore_activity", 7] : ["entity_management", 4];
    case "config_change":
    case "wire":
      return ["entity_management", 3];
    case "execute":
      return category === "workflow" ? ["application_lifecycle", 3] : ["api_activity", OTHER_ACTIVITY, "Execute"];
    default:
      // An event with no kind (a tenant action sent without one): an API call of unknown nature.
      return ["api_activity", OTHER_ACTIVITY, "Other"];
  }
}

export function ocsfMappingOf(
  action: string,
  kind: ActionKind | undefined,
  category: ActionCategory | undefined,
): OcsfMapping {
  const [className, activityId, otherName] = BUILTIN_OCSF_MAPPING[action] ?? byKind(action, kind, category);
  const activities: Readonly<Record<number, string>> = OCSF_CLASSES[className].activities;
  const activityName = activityId === OTHER_ACTIVITY ? (otherName ?? "Other") : activities[activityId];
  if (activityName === undefined) throw new Error(`no activity ${activityId} in OCSF class ${className}`);
  return { className, activityId, activityName };
}
