// The reference meaning of an EventFilter over one committed event, for
// every field but free text (which needs a tokenizer): stores implement the
// same semantics natively; tests and pinned-filter checks use this one.
import type { JsonObject } from "@trailproof/core";
import type { EventFilter } from "./event-filter.js";

const field = (e: JsonObject, path: string): unknown =>
  path.split(".").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as JsonObject)[k] : undefined), e);

/** True when `e` satisfies every field of `f` but `text`. */
export function eventMatchesFilter(e: JsonObject, f: EventFilter): boolean {
  const equal: [keyof EventFilter, string][] = [
    ["actorId", "actor.id"],
    ["actorType", "actor.type"],
    ["action", "action"],
    ["kind", "kind"],
    ["category", "category"],
    ["targetType", "target.type"],
    ["targetId", "target.id"],
    ["outcome", "outcome.status"],
    ["risk", "risk"],
    ["sessionId", "context.session_id"],
    ["runId", "automation.run_id"],
    ["workflowId", "automation.workflow_id"],
    ["causedBy", "automation.caused_by"],
    ["environment", "context.environment"],
  ];
  for (const [key, path] of equal) if (f[key] !== undefined && field(e, path) !== f[key]) return false;
  const occurred = Date.parse(e.occurred_at as string);
  if (f.from !== undefined && occurred < Date.parse(f.from)) return false;
  if (f.to !== undefined && occurred >= Date.parse(f.to)) return false;
  if (f.actionPrefix !== undefined && !(e.action as string).startsWith(f.actionPrefix)) return false;
  if (f.tag !== undefined && !((e.tags as string[] | undefined) ?? []).includes(f.tag)) return false;
  return true;
}
