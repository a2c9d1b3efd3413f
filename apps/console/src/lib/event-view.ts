// Reading a committed event for display: typed access to its fields, and
// whether a personal field was withheld from this reader (it then has a
// commitment but no value).
import type { AuditEvent, EventItem } from "../api/types.js";
import { personalText } from "./erased.js";

export function asEvent(item: EventItem): AuditEvent {
  return item.event as AuditEvent;
}

/** True when `pointer` names a personal field this reader may not see. */
export function isWithheld(item: EventItem, pointer: string): boolean {
  const commitments = asEvent(item).privacy?.commitments;
  return item.redacted && commitments !== undefined && Object.hasOwn(commitments, pointer);
}

export function actorLabel(event: AuditEvent): string {
  return personalText(event.actor?.name) ?? event.actor?.id ?? "unknown";
}

export function targetLabel(event: AuditEvent): string {
  const t = event.target;
  if (!t) return "—";
  return t.name ? `${t.name}` : `${t.type ?? "?"}:${t.id ?? "?"}`;
}

export function entityPath(type: string, id: string): string {
  return `/entities/${encodeURIComponent(type)}/${encodeURIComponent(id)}`;
}

export function eventPath(id: string): string {
  return `/events/${encodeURIComponent(id)}`;
}

/** "workspace:acme" → {type: "workspace", id: "acme"}; null when not type:id. */
export function parsePathElement(element: string): { type: string; id: string } | null {
  const i = element.indexOf(":");
  if (i <= 0 || i === element.length - 1) return null;
  return { type: element.slice(0, i), id: element.slice(i + 1) };
}

export function actorIcon(type: string | undefined): string {
  if (type === "user") return "person";
  if (type === "automation") return "automation";
  return "system";
}
