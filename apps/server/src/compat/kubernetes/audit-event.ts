// The audit events kube-apiserver's webhook backend posts
// (k8s.io/apiserver pkg/apis/audit/v1 types.go): an EventList of
// audit.k8s.io/v1 (or the deprecated v1beta1, same field names), or one Event
// as the log backend writes it. Only the fields the mapping reads are typed;
// each is checked for its type here, so the mapping can trust them.
import type { Problem } from "@trailproof/core";
import { HttpProblem } from "../../http/problem.js";
import { isObject as isRecord, isStrings } from "../mapping/json-guards.js";

export const AUDIT_API_VERSIONS = ["audit.k8s.io/v1", "audit.k8s.io/v1beta1"] as const;

/** authentication/v1 UserInfo. */
export interface AuditUser {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

/** audit.k8s.io/v1 ObjectReference. */
export interface AuditObjectRef {
  resource?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiGroup?: string;
  apiVersion?: string;
  resourceVersion?: string;
  subresource?: string;
}

/** One audit.k8s.io/v1 Event (untrusted; shapes checked by parseAuditEvents). */
export interface AuditEvent {
  level?: string;
  auditID: string;
  stage: string;
  requestURI: string;
  verb: string;
  user: AuditUser;
  impersonatedUser?: AuditUser;
  authenticationMetadata?: unknown;
  sourceIPs?: string[];
  userAgent?: string;
  objectRef?: AuditObjectRef;
  responseStatus?: { code?: number; status?: string; reason?: string; message?: string } & Record<string, unknown>;
  requestObject?: unknown;
  responseObject?: unknown;
  /** MicroTime: RFC 3339 with six fractional digits. */
  requestReceivedTimestamp: string;
  stageTimestamp?: string;
  annotations?: Record<string, string>;
}

const optional = (v: unknown, check: (v: unknown) => boolean) => v === undefined || v === null || check(v);
const isString = (v: unknown) => typeof v === "string";

function userProblems(user: unknown, at: string): Problem[] {
  if (!isRecord(user)) return [{ pointer: at, message: "must be a UserInfo object" }];
  const problems: Problem[] = [];
  if (!optional(user.username, isString)) problems.push({ pointer: `${at}/username`, message: "must be a string" });
  if (!optional(user.uid, isString)) problems.push({ pointer: `${at}/uid`, message: "must be a string" });
  if (!optional(user.groups, isStrings))
    problems.push({ pointer: `${at}/groups`, message: "must be an array of strings" });
  if (!optional(user.extra, (e) => isRecord(e) && Object.values(e).every(isStrings))) {
    problems.push({ pointer: `${at}/extra`, message: "must be an object of string arrays" });
  }
  return problems;
}

function eventProblems(e: unknown, at: string): Problem[] {
  if (!isRecord(e)) return [{ pointer: at, message: "must be an audit Event object" }];
  const problems: Problem[] = [];
  const want = (ok: boolean, key: string, message: string) => {
    if (!ok) problems.push({ pointer: `${at}/${key}`, message });
  };
  for (const key of ["auditID", "stage", "verb", "requestReceivedTimestamp"]) {
    want(typeof e[key] === "string" && e[key] !== "", key, "must be a non-empty string");
  }
  want(typeof e.requestURI === "string", "requestURI", "must be a string");
  for (const key of ["level", "userAgent", "stageTimestamp"]) want(optional(e[key], isString), key, "must be a string");
  problems.push(...userProblems(e.user, `${at}/user`));
  if (e.impersonatedUser !== undefined && e.impersonatedUser !== null) {
    problems.push(...userProblems(e.impersonatedUser, `${at}/impersonatedUser`));
  }
  want(optional(e.sourceIPs, isStrings), "sourceIPs", "must be an array of strings");
  want(
    optional(e.objectRef, (r) => isRecord(r) && Object.values(r).every(isString)),
    "objectRef",
    "must be an ObjectReference of strings",
  );
  want(
    optional(
      e.responseStatus,
      (s) =>
        isRecord(s) &&
        optional(s.code, Number.isSafeInteger) &&
        optional(s.reason, isString) &&
        optional(s.message, isString),
    ),
    "responseStatus",
    "must be a Status with an integer code",
  );
  want(
    optional(e.annotations, (a) => isRecord(a) && Object.values(a).every(isString)),
    "annotations",
    "must be an object of strings",
  );
  return problems;
}

/** Drops JSON nulls Go writes for absent optional members, so `undefined` alone means absent. */
function withoutNulls(e: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(e).filter(([, v]) => v !== null));
}

/**
 * The events of a webhook request (parsed JSON, untrusted): an EventList's
 * items, or one Event. Throws HttpProblem REQUEST_INVALID listing every
 * problem; pointers are into the body.
 */
export function parseAuditEvents(body: unknown): { events: AuditEvent[]; itemsPointer: string } {
  if (!isRecord(body)) {
    throw new HttpProblem("REQUEST_INVALID", "the body must be an audit.k8s.io EventList (or one Event)", {
      problems: [{ pointer: "", message: "must be an object" }],
    });
  }
  if (body.apiVersion !== undefined && !(AUDIT_API_VERSIONS as readonly unknown[]).includes(body.apiVersion)) {
    throw new HttpProblem("REQUEST_INVALID", `apiVersion must be one of ${AUDIT_API_VERSIONS.join(", ")}`, {
      problems: [{ pointer: "/apiVersion", message: `is ${JSON.stringify(body.apiVersion)}` }],
    });
  }
  const isList = body.kind === "EventList" || (body.kind === undefined && Array.isArray(body.items));
  if (!isList && body.kind !== "Event" && body.kind !== undefined) {
    throw new HttpProblem("REQUEST_INVALID", "kind must be EventList or Event", {
      problems: [{ pointer: "/kind", message: `is ${JSON.stringify(body.kind)}` }],
    });
  }
  if (isList && !Array.isArray(body.items)) {
    throw new HttpProblem("REQUEST_INVALID", "an EventList holds its events in items", {
      problems: [{ pointer: "/items", message: "must be an array of audit events" }],
    });
  }
  const items = isList ? (body.items as unknown[]) : [body];
  const itemsPointer = isList ? "/items" : "";
  const problems = items.flatMap((e, i) => eventProblems(e, isList ? `/items/${i}` : ""));
  if (problems.length > 0) {
    throw new HttpProblem("REQUEST_INVALID", "the body holds audit events kube-apiserver does not send", { problems });
  }
  return {
    events: items.map((e) => withoutNulls(e as Record<string, unknown>) as unknown as AuditEvent),
    itemsPointer,
  };
}
