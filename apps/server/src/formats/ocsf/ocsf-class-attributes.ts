// The attributes particular to each OCSF class (docs/ocsf.md, "How fields
// map"): what becomes the class's required primary object (user, entity,
// web_resources, app, api, finding_info, compliance...) from the event's
// target, metadata and outcome.
import type { JsonObject } from "@trailproof/core";
import { compact, objectAt, stringAt, stringsAt } from "./json-fields.js";
import type { OcsfClassName } from "./ocsf-classes.js";

/** A person's id the privacy mode dropped stays a valid OCSF user (it needs a name or a uid). */
export const WITHHELD = "withheld";

/** OCSF user.type_id: 1 User, 3 System, 4 Service, 99 Other. */
const USER_TYPE: Record<string, [number, string]> = {
  user: [1, "User"],
  service_account: [4, "Service"],
  automation: [99, "Automation"],
  system: [3, "System"],
};

export function ocsfUser(principal: JsonObject | undefined): JsonObject {
  const [typeId, type] = USER_TYPE[stringAt(principal, "type") ?? ""] ?? [0, "Unknown"];
  const uid = stringAt(principal, "id");
  const name = stringAt(principal, "name");
  return compact({ uid, name: name ?? (uid === undefined ? WITHHELD : undefined), type_id: typeId, type });
}

function targetAsUser(target: JsonObject | undefined): JsonObject {
  const uid = stringAt(target, "id");
  const name = stringAt(target, "name");
  return compact({ uid, name: name ?? (uid === undefined ? WITHHELD : undefined) });
}

/** The target as an OCSF _entity (name or uid required), typed with our target.type. */
function targetEntity(target: JsonObject | undefined): JsonObject {
  const uid = stringAt(target, "id");
  const name = stringAt(target, "name");
  return compact({ uid, name: name ?? (uid === undefined ? WITHHELD : undefined), type: stringAt(target, "type") });
}

/** OCSF finding status_id: 1 New, 2 In Progress, 4 Resolved. */
const FINDING_STATUS: Record<number, [number, string]> = { 1: [1, "New"], 2: [2, "In Progress"], 3: [4, "Resolved"] };

/** OCSF compliance.status_id from a policy decision, or from the outcome when there is none. */
function complianceStatus(decision: string | undefined, outcome: string | undefined): [number, string] {
  if (decision === "allow") return [1, "Pass"];
  if (decision === "warn") return [2, "Warning"];
  if (decision === "deny") return [3, "Fail"];
  return outcome === "success" ? [1, "Pass"] : [3, "Fail"];
}

export function classAttributes(
  className: OcsfClassName,
  activityId: number,
  event: JsonObject,
  eventId: string,
): JsonObject {
  const target = objectAt(event.target);
  const metadata = objectAt(event.metadata);
  const action = stringAt(event, "action") ?? "";
  switch (className) {
    case "authentication":
      return {
        user: ocsfUser(objectAt(event.actor)),
        service: compact({ uid: stringAt(target, "id"), name: stringAt(target, "name") ?? stringAt(target, "type") }),
      };
    case "account_change":
      return { user: targetAsUser(target) };
    case "user_access": {
      const one = stringAt(metadata, "permission");
      const privileges = one ? [one] : (stringsAt(metadata, "permissions") ?? []);
      const grantee = stringAt(metadata, "grantee_id");
      return compact({
        user: grantee ? compact({ uid: grantee, type: stringAt(metadata, "grantee_type") }) : targetAsUser(target),
        privileges: privileges.length > 0 ? privileges : [action],
        resources: [targetEntity(target)],
      });
    }
    case "entity_management":
      return compact({ entity: targetEntity(target), comment: stringAt(event, "message") });
    case "web_resources_activity":
      return { web_resources: [targetEntity(target)] };
    case "application_lifecycle": {
      const entity = targetEntity(target);
      return {
        app: compact({
          uid: stringAt(entity, "uid"),
          name: stringAt(entity, "name") ?? WITHHELD,
          version: stringAt(metadata, "package_version") ?? stringAt(metadata, "template_version"),
        }),
      };
    }
    case "api_activity":
      return {
        api: { operation: action, service: { name: "Trailproof" } },
        resources: [targetEntity(target)],
      };
    case "datastore_activity": {
      const path = stringsAt(target, "path") ?? [];
      const table = path.findLast((p) => p.startsWith("table:") || p.startsWith("collection:"));
      return { table: { name: table ? table.slice(table.indexOf(":") + 1) : (stringAt(target, "type") ?? "record") } };
    }
    case "compliance_finding": {
      const [statusId, status] = complianceStatus(
        stringAt(metadata, "decision"),
        stringAt(objectAt(event.outcome), "status"),
      );
      const policy = stringAt(metadata, "policy_id") ?? stringAt(target, "id");
      return {
        finding_info: compact({ uid: eventId, title: stringAt(event, "message") ?? action }),
        compliance: compact({ control: policy, status_id: statusId, status, desc: stringAt(metadata, "rationale") }),
        resources: [targetEntity(target)],
        status_id: 1,
        status: "New",
      };
    }
    case "detection_finding": {
      const [statusId, status] = FINDING_STATUS[activityId] ?? [0, "Unknown"];
      const ruleId = stringAt(metadata, "rule_id");
      return compact({
        finding_info: compact({
          uid: stringAt(metadata, "alert_id") ?? stringAt(target, "id") ?? eventId,
          title: stringAt(event, "message") ?? action,
          analytic: ruleId
            ? compact({ uid: ruleId, name: stringAt(target, "name"), type_id: 1, type: "Rule" })
            : undefined,
          related_events_count: stringsAt(metadata, "matched_event_ids")?.length,
        }),
        is_alert: activityId === 1 ? true : undefined,
        status_id: statusId,
        status,
      });
    }
  }
}
