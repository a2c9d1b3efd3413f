// Validation of the event envelope (log format v1) as a platform sends it:
// plain JSON first, then the JSON Schema, then the rules a schema cannot say.
// Every problem is reported at once, each at its pointer into the input.
import type { ValidateFunction } from "ajv";
import { assertJsonValue, encodeCanonicalJsonBytes, escapePointer, type JsonValue } from "../canonical-json.js";
import { InvalidInputError, type Problem, TrailproofError } from "../errors.js";
import { problemsFromAjv } from "../schema/ajv-problems.js";
import { createAjv } from "../schema/create-ajv.js";
import { hasLoneSurrogate } from "../strict-json/unicode-scalars.js";
import { FORBIDDEN_KEYS } from "./copy-event-input.js";
import {
  type EventInput,
  EventInputSchema,
  MAX_EVENT_BYTES,
  MAX_EVENT_DEPTH,
  MAX_METADATA_BYTES,
  MAX_STATE_BYTES,
} from "./envelope-schema.js";
import { identifierProblems } from "./identifier-characters.js";
import { parseTimestamp } from "./normalize-timestamp.js";

let validateEnvelope: ValidateFunction | undefined;

/** The envelope's JSON Schema, compiled on first use. */
export function envelopeValidator(): ValidateFunction {
  validateEnvelope ??= createAjv().compile(EventInputSchema);
  return validateEnvelope;
}

export type JsonRecord = { [key: string]: JsonValue };

export function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

/** One EVENT_INVALID error carrying every problem. */
export function eventInvalid(problems: readonly Problem[]): InvalidInputError {
  const first = problems[0];
  const summary = first === undefined ? "" : `; first: ${first.pointer || "(event)"} ${first.message}`;
  return new InvalidInputError("EVENT_INVALID", `the event has ${problems.length} problem(s)${summary}`, {
    problems,
  });
}

const LONE_SURROGATE =
  "holds a lone surrogate (half of a UTF-16 pair without the other half), which is not Unicode text; RFC 8785 refuses it";

/** Reserved keys and lone surrogates anywhere in `value`, each at its pointer, sorted by pointer. */
function keyAndTextProblems(value: JsonValue): Problem[] {
  const problems: Problem[] = [];
  const stack: Array<{ v: JsonValue; path: string }> = [{ v: value, path: "" }];
  while (stack.length > 0) {
    const { v, path } = stack.pop() as { v: JsonValue; path: string };
    if (typeof v === "string" && hasLoneSurrogate(v)) problems.push({ pointer: path, message: LONE_SURROGATE });
    if (typeof v !== "object" || v === null) continue;
    const entries: Array<[string, JsonValue]> = Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(v);
    for (const [key, child] of entries) {
      const at = `${path}/${escapePointer(key)}`;
      if (!Array.isArray(v) && FORBIDDEN_KEYS.has(key)) {
        problems.push({ pointer: at, message: `uses the reserved key "${key}", which is not allowed anywhere` });
      } else if (!Array.isArray(v) && hasLoneSurrogate(key)) {
        problems.push({ pointer: at, message: `its key ${LONE_SURROGATE}` });
      } else stack.push({ v: child, path: at });
    }
  }
  return problems.sort((a, b) => (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0));
}

/**
 * A part over its limit. `eventBytes` bounds the whole event's canonical size:
 * a part is a substring of it, so when the whole fits under the limit the
 * part does too and is not encoded again (the common case, on the hot path).
 */
function sizeProblem(
  value: JsonValue | undefined,
  pointer: string,
  limit: number,
  what: string,
  eventBytes: number,
): Problem[] {
  if (value === undefined || eventBytes <= limit) return [];
  const bytes = encodeCanonicalJsonBytes(value).length;
  if (bytes <= limit) return [];
  return [{ pointer, message: `${what} is ${bytes} bytes in RFC 8785 form; the limit is ${limit}` }];
}

/** `problems` without repeats (two stages may say the same thing), first occurrence kept. */
export function uniqueProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.pointer}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const NEEDS_VALUE = new Set(["add", "replace", "test"]);
const NEEDS_FROM = new Set(["move", "copy"]);

/**
 * The rules a schema cannot say. `eventBytes` is the event's RFC 8785 size or
 * any upper bound of it: parts are measured exactly only when it is over their limit.
 */
export function crossFieldProblems(event: JsonRecord, eventBytes: number): Problem[] {
  const problems: Problem[] = [];
  if (typeof event.occurred_at === "string") {
    const parsed = parseTimestamp(event.occurred_at);
    if ("problem" in parsed) problems.push({ pointer: "/occurred_at", message: parsed.problem });
  }
  if (asRecord(event.actor)?.type === "automation" && event.automation === undefined) {
    problems.push({ pointer: "/automation", message: "is required when actor.type is automation" });
  }
  problems.push(...identifierProblems(event));
  problems.push(...sizeProblem(event.metadata, "/metadata", MAX_METADATA_BYTES, "metadata", eventBytes));
  const change = asRecord(event.change);
  if (change === undefined) return problems;
  for (const side of ["before", "after"] as const) {
    problems.push(...sizeProblem(change[side], `/change/${side}`, MAX_STATE_BYTES, `change.${side}`, eventBytes));
    if (change[`${side}_hash`] !== undefined && change[side] === undefined) {
      problems.push({
        pointer: `/change/${side}_hash`,
        message: `cannot be checked without change.${side}; send the state or leave the hash out`,
      });
    }
  }
  if (change.before === undefined && change.after === undefined && change.patch === undefined) {
    problems.push({ pointer: "/change", message: "must contain at least one of before, after or patch" });
  }
  const patch = Array.isArray(change.patch) ? change.patch : [];
  patch.forEach((entry, i) => {
    const op = asRecord(entry);
    if (op === undefined || typeof op.op !== "string") return;
    const at = `/change/patch/${i}`;
    if (NEEDS_VALUE.has(op.op) && op.value === undefined) {
      problems.push({ pointer: `${at}/value`, message: `is required for op "${op.op}"` });
    }
    if (!NEEDS_VALUE.has(op.op) && op.value !== undefined) {
      problems.push({ pointer: `${at}/value`, message: `is not allowed for op "${op.op}"` });
    }
    if (NEEDS_FROM.has(op.op) && op.from === undefined) {
      problems.push({ pointer: `${at}/from`, message: `is required for op "${op.op}"` });
    }
    if (!NEEDS_FROM.has(op.op) && op.from !== undefined) {
      problems.push({ pointer: `${at}/from`, message: `is not allowed for op "${op.op}"` });
    }
  });
  return problems;
}

/**
 * Every envelope problem of `input` (untrusted). `event` is set only when the
 * input is a plain JSON object, so later stages can keep checking what they can.
 */
export function checkEventInput(input: unknown): {
  event: JsonRecord | undefined;
  problems: Problem[];
} {
  try {
    assertJsonValue(input, MAX_EVENT_DEPTH);
  } catch (err) {
    if (!(err instanceof TrailproofError)) throw err;
    const problems = err.problems.map((p) => ({
      pointer: p.pointer,
      message: `${p.message}; the event must be plain JSON at most ${MAX_EVENT_DEPTH} levels deep`,
    }));
    return { event: undefined, problems };
  }
  const event = asRecord(input);
  if (event === undefined) {
    return { event, problems: [{ pointer: "", message: "the event must be a JSON object" }] };
  }
  const problems = keyAndTextProblems(event);
  const bytes = encodeCanonicalJsonBytes(event).length;
  if (bytes > MAX_EVENT_BYTES) {
    problems.push({
      pointer: "",
      message: `the event is ${bytes} bytes in RFC 8785 form; the limit is ${MAX_EVENT_BYTES}`,
    });
  }
  const validate = envelopeValidator();
  if (!validate(event)) problems.push(...problemsFromAjv(validate.errors));
  problems.push(...crossFieldProblems(event, bytes));
  return { event, problems: uniqueProblems(problems) };
}

/** `input` as an EventInput, or EVENT_INVALID listing every envelope problem. */
export function validateEventInput(input: unknown): EventInput {
  const { event, problems } = checkEventInput(input);
  if (problems.length > 0 || event === undefined) throw eventInvalid(problems);
  return event as unknown as EventInput;
}
