// AuditQuery.stateAt over any store: replays the change sections (log format
// v1, RFC 6902 patches) of one target's entries into its committed state.
// Nothing is skipped silently: a patch that does not apply, or a recorded
// `before` that differs from the state so far, is reported as a gap.
import {
  encodeCanonicalJson,
  fromUtf8,
  getAt,
  type JsonObject,
  type JsonValue,
  parsePointer,
  removeAt,
} from "@trailproof/core";
import jsonPatch, { type Operation } from "fast-json-patch";
import type { QueriedEntry, StateAtResult, StateGap } from "./audit-query.js";

type Op = { op: string; path: string; from?: string; value?: JsonValue };

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Applies one operation to `doc` (owned, mutated). An add or replace whose
 * value was withheld at commit (secret or personal) is replayed the way the
 * committed states show it: an object member is absent, an array element null.
 */
function applyOp(doc: JsonValue, op: Op): JsonValue {
  if ((op.op === "add" || op.op === "replace") && !Object.hasOwn(op, "value")) {
    const tokens = parsePointer(op.path);
    if (tokens === undefined || tokens.length === 0) throw new Error("withholds the value of the whole state");
    const parent = getAt(doc, tokens.slice(0, -1));
    if (Array.isArray(parent)) return applyOp(doc, { ...op, value: null });
    removeAt(doc, tokens);
    return doc;
  }
  if (op.op === "test" && !Object.hasOwn(op, "value")) return doc;
  return jsonPatch.applyOperation(doc, structuredClone(op) as Operation, true, true).newDocument;
}

function applyPatch(state: JsonValue, patch: readonly Op[]): JsonValue {
  let doc = structuredClone(state);
  patch.forEach((op, i) => {
    try {
      doc = applyOp(doc, op);
    } catch (err) {
      const why = err instanceof Error ? (err.name !== "Error" ? err.name : err.message) : String(err);
      throw new Error(`operation ${i} (${op.op} ${JSON.stringify(op.path)}) does not apply: ${why}`);
    }
  });
  return doc;
}

/** Why the recorded before differs from `state`, or undefined when it matches or none was recorded. */
function beforeMismatch(change: JsonObject, state: JsonValue): string | undefined {
  // before_hash is only ever committed beside before (the envelope refuses it alone).
  if (!Object.hasOwn(change, "before")) return undefined;
  if (encodeCanonicalJson(change.before) === encodeCanonicalJson(state)) return undefined;
  return "change.before differs from the state replayed so far: a change was not recorded";
}

/**
 * The state after `entries` (one target's, in occurred_at then index order,
 * each committed): change.after when present; else, for a delete, null; else
 * change.patch applied to the state so far ({} when there is none yet).
 */
export function replayChanges(entries: Iterable<QueriedEntry>): StateAtResult {
  let state: JsonValue | null = null;
  let asOf: StateAtResult["asOf"] = null;
  let appliedEvents = 0;
  const gaps: StateGap[] = [];
  for (const entry of entries) {
    const event = JSON.parse(fromUtf8(entry.leafData)) as JsonObject;
    const change = event.change;
    if (!isObject(change)) continue;
    const occurredAt = new Date(entry.occurredMs).toISOString();
    const gap = (reason: StateGap["reason"], message: string) =>
      gaps.push({ index: entry.index, eventId: entry.eventId, occurredAt, reason, message });
    if (state !== null) {
      const mismatch = beforeMismatch(change, state);
      if (mismatch !== undefined) gap("before_mismatch", mismatch);
    }
    if (Object.hasOwn(change, "after")) {
      state = structuredClone(change.after as JsonValue);
    } else if (event.kind === "delete") {
      state = null;
    } else {
      try {
        state = applyPatch(state ?? {}, Array.isArray(change.patch) ? (change.patch as Op[]) : []);
      } catch (err) {
        gap("patch_failed", (err as Error).message);
        continue;
      }
    }
    appliedEvents += 1;
    asOf = { index: entry.index, eventId: entry.eventId, occurredAt };
  }
  return { state, asOf, appliedEvents, gaps };
}
