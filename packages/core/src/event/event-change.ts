// The change section of an event (log format v1): RFC 6902 JSON Patch between
// change.before and change.after, computed with fast-json-patch when absent,
// verified when given, and "sha256:" state hashes over RFC 8785 forms.
import jsonPatch, { type Operation } from "fast-json-patch";
import { toHex } from "../bytes.js";
import { encodeCanonicalJson, encodeCanonicalJsonBytes, type JsonValue } from "../canonical-json.js";
import type { Problem } from "../errors.js";
import type { Hasher } from "../hasher.js";
import type { PatchOperation } from "./envelope-schema.js";

/** "sha256:" + hex SHA-256 of the RFC 8785 form of `state`. */
export function stateHash(hasher: Hasher, state: JsonValue): string {
  return `sha256:${toHex(hasher.sha256(encodeCanonicalJsonBytes(state)))}`;
}

function kindOf(value: JsonValue): "object" | "array" | "scalar" {
  if (Array.isArray(value)) return "array";
  return typeof value === "object" && value !== null ? "object" : "scalar";
}

function sameJson(a: JsonValue, b: JsonValue): boolean {
  return encodeCanonicalJson(a) === encodeCanonicalJson(b);
}

/**
 * The patch from `before` to `after`. A missing state is taken as the empty
 * object {} (a create has no before, a delete no after). Two objects or two
 * arrays are diffed member by member by fast-json-patch's compare; anything
 * else becomes one whole-document replace at path "".
 * Requires key order to be canonical (RFC 8785) so the patch is a function of
 * the states' content only.
 */
export function computePatch(before: JsonValue | undefined, after: JsonValue | undefined): PatchOperation[] {
  const from = before === undefined ? {} : before;
  const to = after === undefined ? {} : after;
  const kind = kindOf(from);
  // compare() of two equal containers is [], so only mixed kinds and
  // scalars need the canonical comparison.
  if (kind !== "scalar" && kind === kindOf(to)) {
    return jsonPatch.compare(from as object, to as object) as PatchOperation[];
  }
  if (sameJson(from, to)) return [];
  return [{ op: "replace", path: "", value: to }];
}

function patchError(err: unknown): { index: number | undefined; reason: string } {
  const e = err as { index?: unknown; name?: unknown; message?: unknown };
  const index = typeof e.index === "number" ? e.index : undefined;
  const name = typeof e.name === "string" ? e.name : "PATCH_ERROR";
  const reasons: Record<string, string> = {
    TEST_OPERATION_FAILED: "its test does not hold on change.before",
    OPERATION_PATH_UNRESOLVABLE: "its path does not exist in change.before",
    OPERATION_FROM_UNRESOLVABLE: "its from does not exist in change.before",
    OPERATION_PATH_ILLEGAL_ARRAY_INDEX: "its path has an illegal array index",
    OPERATION_VALUE_OUT_OF_BOUNDS: "its array index is out of bounds",
  };
  return { index, reason: reasons[name] ?? "it cannot be applied to change.before" };
}

/**
 * Problems of a client-given patch: when both states are given, applying the
 * patch to change.before MUST yield change.after. With one state or none the
 * patch is stored as sent (its shape was validated with the envelope).
 */
export function patchProblems(
  before: JsonValue | undefined,
  after: JsonValue | undefined,
  patch: readonly PatchOperation[],
): Problem[] {
  if (before === undefined || after === undefined) return [];
  let result: JsonValue;
  try {
    result = jsonPatch.applyPatch(structuredClone(before), structuredClone([...patch]) as Operation[], true, true)
      .newDocument as JsonValue;
  } catch (err) {
    const { index, reason } = patchError(err);
    const pointer = index === undefined ? "/change/patch" : `/change/patch/${index}`;
    return [{ pointer, message: `cannot be applied: ${reason}` }];
  }
  if (sameJson(result, after)) return [];
  return [{ pointer: "/change/patch", message: "applied to change.before does not yield change.after" }];
}

/** Problems of client-given state hashes, checked against the states as received. */
export function stateHashProblems(hasher: Hasher, change: Readonly<Record<string, JsonValue | undefined>>): Problem[] {
  const problems: Problem[] = [];
  for (const side of ["before", "after"] as const) {
    const given = change[`${side}_hash`];
    const state = change[side];
    if (typeof given !== "string" || state === undefined) continue;
    if (given !== stateHash(hasher, state)) {
      problems.push({
        pointer: `/change/${side}_hash`,
        message: `does not match change.${side}: expected "sha256:" and the hex SHA-256 of its RFC 8785 form`,
      });
    }
  }
  return problems;
}
