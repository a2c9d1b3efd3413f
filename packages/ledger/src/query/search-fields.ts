// The searchable fields of an entry, derived from its leaf data (the
// committed event). The search projection stores exactly these, so every
// projected row can be recomputed from, and checked against, its leaf.
import { TrailproofError } from "@trailproof/core";

export interface SearchFields {
  eventId: string;
  occurredMs: number;
  action: string;
  kind: string;
  category: string;
  outcome: string;
  risk: string;
  actorType: string;
  actorId: string;
  targetType: string;
  targetId: string;
  sessionId: string | null;
  runId: string | null;
  workflowId: string | null;
  causedBy: string | null;
  environment: string | null;
  triggerId: string | null;
  message: string | null;
  tags: string[];
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" ? (v as Obj) : {});
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** Fields of a committed event object, as prepareEvent builds it (the envelope guarantees the required ones). */
export function searchFieldsOf(e: Obj): SearchFields {
  const actor = obj(e.actor);
  const target = obj(e.target);
  const context = obj(e.context);
  const automation = obj(e.automation);
  const required = (v: unknown, name: string): string => {
    if (typeof v !== "string") throw new TrailproofError("STORE_LEAF_MALFORMED", `committed event lacks ${name}`);
    return v;
  };
  const occurredMs = Date.parse(required(e.occurred_at, "occurred_at"));
  if (!Number.isFinite(occurredMs)) throw new TrailproofError("STORE_LEAF_MALFORMED", "occurred_at is not a time");
  return {
    eventId: required(e.id, "id"),
    occurredMs,
    action: required(e.action, "action"),
    kind: required(e.kind, "kind"),
    category: required(e.category, "category"),
    outcome: str(obj(e.outcome).status) ?? "success",
    risk: required(e.risk, "risk"),
    actorType: required(actor.type, "actor.type"),
    actorId: required(actor.id, "actor.id"),
    targetType: required(target.type, "target.type"),
    targetId: required(target.id, "target.id"),
    sessionId: str(context.session_id),
    runId: str(automation.run_id),
    workflowId: str(automation.workflow_id),
    causedBy: str(automation.caused_by),
    environment: str(context.environment),
    triggerId: str(automation.trigger_id),
    message: str(e.message),
    tags: Array.isArray(e.tags) ? e.tags.filter((t): t is string => typeof t === "string") : [],
  };
}

const decoder = new TextDecoder();

/** Fields of one leaf (RFC 8785 JSON of the committed event). Throws STORE_LEAF_MALFORMED. */
export function searchFieldsOfLeaf(leafData: Uint8Array): SearchFields {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(leafData));
  } catch (cause) {
    throw new TrailproofError("STORE_LEAF_MALFORMED", "leaf data is not JSON", { cause });
  }
  return searchFieldsOf(obj(parsed));
}
