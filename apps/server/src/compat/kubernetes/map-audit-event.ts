// One Kubernetes audit event as a v1 envelope event, per docs/compat.md
// "Kubernetes audit webhook". The mapping depends only on what
// kube-apiserver sent, so a redelivered batch maps to byte-identical events
// with the same ids (one per auditID and stage) and is answered as duplicates.
import { isIP } from "node:net";
import { MAX_MESSAGE_LENGTH, MAX_PRINCIPAL_ID_LENGTH } from "@trailproof/core";
import { prefixedEventId } from "../mapping/event-id.js";
import { fitMetadata } from "../mapping/fit-metadata.js";
import { toReasonCode } from "../mapping/outcome-status.js";
import { auditActionOf } from "./audit-action.js";
import { auditActorOf } from "./audit-actor.js";
import type { AuditEvent } from "./audit-event.js";

const DECISION = "authorization.k8s.io/decision";
const AUTHORIZATION_REASON = "authorization.k8s.io/reason";

/** The event id of (auditID, stage): `k8s-<auditID>.<stage>`, or `k8s-` and a hash when that would not be one. */
export function auditEventId(auditId: string, stage: string): string {
  return prefixedEventId("k8s", `${auditId}.${stage}`, `${auditId}\n${stage}`);
}

/**
 * Resources whose request and response objects are never stored: Secrets
 * (their data is credentials), and the token APIs, whose bodies carry bearer
 * tokens (TokenReview's spec.token, TokenRequest's status.token).
 */
function holdsCredentials(e: AuditEvent): boolean {
  const ref = e.objectRef;
  if (ref?.resource === "secrets" || ref?.resource === "tokenreviews" || ref?.subresource === "token") return true;
  const kinds = [e.requestObject, e.responseObject].map((o) =>
    typeof o === "object" && o !== null ? (o as { kind?: unknown }).kind : undefined,
  );
  return kinds.some((k) => k === "Secret" || k === "SecretList" || k === "TokenReview" || k === "TokenRequest");
}

/** A reason code from a Status reason (`Forbidden`, `NotFound`): snake case, lower case. */
function reasonCode(reason: string | undefined): string | undefined {
  return reason === undefined ? undefined : toReasonCode(reason, true);
}

/**
 * Denied when the authorizer said forbid or the answer is 401 or 403, a
 * failure for any other code of 400 or more, else success (a RequestReceived
 * event, sent before any answer, has no code: success unless forbidden).
 */
function outcomeOf(e: AuditEvent): Record<string, unknown> {
  const code = e.responseStatus?.code;
  const reason = reasonCode(e.responseStatus?.reason);
  if (e.annotations?.[DECISION] === "forbid" || code === 401 || code === 403) {
    return { status: "denied", reason: reason ?? (code === 401 ? "unauthorized" : "forbidden") };
  }
  if (code !== undefined && code >= 400) return { status: "failure", reason: reason ?? `http_${code}` };
  return { status: "success" };
}

/** `ns/name`, `ns/*` for a collection in a namespace, `name` or `*` for cluster-scoped ones. */
function targetOf(e: AuditEvent): Record<string, unknown> {
  const ref = e.objectRef;
  if (ref?.resource === undefined || ref.resource === "") {
    return { type: "url", id: (e.requestURI.split("?")[0] || "/").slice(0, MAX_PRINCIPAL_ID_LENGTH) };
  }
  const type =
    ref.resource
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, "_")
      .replace(/^[^a-z]+/, "")
      .slice(0, 128) || "resource";
  const ns = ref.namespace ?? "";
  const name = ref.name ?? "";
  const id = ns === "" ? name || "*" : `${ns}/${name || "*"}`;
  return {
    type,
    id: id.slice(0, MAX_PRINCIPAL_ID_LENGTH),
    ...(name === "" ? {} : { name }),
    ...(ns === "" ? {} : { path: [`namespace:${ns}`] }),
  };
}

/** The envelope event of audit event `e` (its shapes checked by parseAuditEvents). */
export function mapAuditEvent(e: AuditEvent): Record<string, unknown> {
  const { action, kind, category } = auditActionOf(e);
  const ip = e.sourceIPs?.[0];
  const status = e.responseStatus;
  const message =
    status?.message ?? (outcomeOf(e).status === "denied" ? e.annotations?.[AUTHORIZATION_REASON] : undefined);
  const base: Record<string, unknown> = {
    kubernetes: {
      audit_id: e.auditID,
      stage: e.stage,
      ...(e.level === undefined ? {} : { level: e.level }),
      verb: e.verb,
      request_received_timestamp: e.requestReceivedTimestamp,
      ...(e.stageTimestamp === undefined ? {} : { stage_timestamp: e.stageTimestamp }),
      user: {
        ...(e.user.username === undefined ? {} : { username: e.user.username }),
        ...(e.user.uid === undefined ? {} : { uid: e.user.uid }),
      },
      ...(e.objectRef === undefined ? {} : { object_ref: e.objectRef }),
      ...(status?.code === undefined ? {} : { response_code: status.code }),
      ...(e.annotations?.[DECISION] === undefined ? {} : { authorization_decision: e.annotations[DECISION] }),
    },
  };
  const secret = holdsCredentials(e);
  const { metadata, dropped } = fitMetadata(base, [
    { at: ["kubernetes", "request_uri"], value: e.requestURI },
    { at: ["kubernetes", "source_ips"], value: e.sourceIPs },
    { at: ["kubernetes", "impersonated_user"], value: e.impersonatedUser },
    { at: ["kubernetes", "user", "groups"], value: e.user.groups },
    { at: ["kubernetes", "annotations"], value: e.annotations },
    { at: ["kubernetes", "response_status"], value: status },
    { at: ["kubernetes", "authentication_metadata"], value: e.authenticationMetadata },
    { at: ["kubernetes", "user", "extra"], value: e.user.extra },
    { at: ["kubernetes", "request_object"], value: secret ? undefined : e.requestObject },
    { at: ["kubernetes", "response_object"], value: secret ? undefined : e.responseObject },
  ]);
  const kube = metadata.kubernetes as Record<string, unknown>;
  if (secret && (e.requestObject !== undefined || e.responseObject !== undefined)) {
    dropped.unshift(
      "kubernetes.request_object and kubernetes.response_object: this resource's bodies carry credentials and are never stored",
    );
  }
  if (dropped.length > 0) kube.dropped = dropped;

  return {
    id: auditEventId(e.auditID, e.stage),
    action,
    kind,
    category,
    occurred_at: e.requestReceivedTimestamp,
    actor: auditActorOf(e.user, e.impersonatedUser),
    target: targetOf(e),
    outcome: outcomeOf(e),
    ...(message === undefined || message === "" ? {} : { message: message.slice(0, MAX_MESSAGE_LENGTH) }),
    context: {
      ...(ip !== undefined && isIP(ip) !== 0 ? { ip } : {}),
      ...(e.userAgent === undefined || e.userAgent === "" ? {} : { user_agent: e.userAgent.slice(0, 1024) }),
      request_id: e.auditID.slice(0, 1024),
    },
    metadata,
  };
}
