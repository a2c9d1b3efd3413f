// The OCSF 1.8.0 event classes Trailproof's events map to (docs/ocsf.md), with
// the ids the schema gives them: class_uid = category_uid * 1000 + the class's
// number, type_uid = class_uid * 100 + activity_id (OCSF 1.8.0, base_event).

/** The OCSF schema release the formatter writes (metadata.version). */
export const OCSF_VERSION = "1.8.0";

export interface OcsfClass {
  uid: number;
  name: string;
  categoryUid: number;
  categoryName: string;
  /** activity_id -> activity_name, as the class's schema lists them (0 Unknown and 99 Other come from the base event). */
  activities: Readonly<Record<number, string>>;
}

const iam = { categoryUid: 3, categoryName: "Identity & Access Management" };
const application = { categoryUid: 6, categoryName: "Application Activity" };
const findings = { categoryUid: 2, categoryName: "Findings" };
const findingActivities = { 1: "Create", 2: "Update", 3: "Close" };

export const OCSF_CLASSES = {
  account_change: {
    uid: 3001,
    name: "Account Change",
    ...iam,
    activities: { 1: "Create", 2: "Enable", 5: "Disable", 6: "Delete" },
  },
  authentication: { uid: 3002, name: "Authentication", ...iam, activities: { 1: "Logon", 2: "Logoff" } },
  entity_management: {
    uid: 3004,
    name: "Entity Management",
    ...iam,
    activities: { 1: "Create", 2: "Read", 3: "Update", 4: "Delete", 12: "Suspend", 13: "Resume" },
  },
  user_access: {
    uid: 3005,
    name: "User Access Management",
    ...iam,
    activities: { 1: "Assign Privileges", 2: "Revoke Privileges" },
  },
  web_resources_activity: {
    uid: 6001,
    name: "Web Resources Activity",
    ...application,
    activities: { 1: "Create", 2: "Read", 3: "Update", 4: "Delete", 5: "Search", 7: "Export" },
  },
  application_lifecycle: {
    uid: 6002,
    name: "Application Lifecycle",
    ...application,
    activities: { 1: "Install", 2: "Remove", 3: "Start", 4: "Stop", 8: "Update" },
  },
  api_activity: {
    uid: 6003,
    name: "API Activity",
    ...application,
    activities: { 1: "Create", 2: "Read", 3: "Update", 4: "Delete" },
  },
  datastore_activity: {
    uid: 6005,
    name: "Datastore Activity",
    ...application,
    activities: { 1: "Read", 2: "Update", 4: "Query", 5: "Write", 6: "Create", 7: "Delete" },
  },
  compliance_finding: { uid: 2003, name: "Compliance Finding", ...findings, activities: findingActivities },
  detection_finding: { uid: 2004, name: "Detection Finding", ...findings, activities: findingActivities },
} as const satisfies Record<string, OcsfClass>;

export type OcsfClassName = keyof typeof OCSF_CLASSES;

/** OCSF's "Other" activity: activity_name then says what it was. */
export const OTHER_ACTIVITY = 99;
