// Turns Ajv validation errors into Trailproof problems: an RFC 6901 pointer
// into the validated input and a sentence a platform developer can act on.
// A schema's `description` names what a pattern or format expects.
import type { ErrorObject } from "ajv";
import { escapePointer } from "../canonical-json.js";
import type { Problem } from "../errors.js";

const typeWords: Record<string, string> = {
  string: "a string",
  integer: "an integer",
  number: "a number",
  object: "an object",
  array: "an array",
  boolean: "true or false",
  null: "null",
};

function show(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function expected(error: ErrorObject, fallback: string): string {
  const description = (error.parentSchema as { description?: unknown } | undefined)?.description;
  return typeof description === "string" ? `must be ${description}` : fallback;
}

function message(e: ErrorObject): string | undefined {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return "is required";
    case "additionalProperties":
    case "unevaluatedProperties":
      return "is not an allowed field here";
    case "type": {
      const types = String(p.type).split(",");
      return `must be ${types.map((t) => typeWords[t] ?? t).join(" or ")}`;
    }
    case "enum":
      return `must be one of: ${(p.allowedValues as unknown[]).map(show).join(", ")}`;
    case "const":
      return `must be ${show(p.allowedValue)}`;
    case "pattern":
      return expected(e, `must match the pattern ${show(p.pattern)}`);
    case "format":
      return expected(e, `must be a valid ${show(p.format)}`);
    case "minLength":
      return p.limit === 1 ? "must not be empty" : `must be at least ${plural(Number(p.limit), "character")} long`;
    case "maxLength":
      return `must be at most ${plural(Number(p.limit), "character")} long`;
    case "minItems":
      return `must have at least ${plural(Number(p.limit), "item")}`;
    case "maxItems":
      return `must have at most ${plural(Number(p.limit), "item")}`;
    case "minProperties":
      return `must have at least ${plural(Number(p.limit), "field")}`;
    case "maxProperties":
      return `must have at most ${plural(Number(p.limit), "field")}`;
    case "minimum":
      return `must be at least ${show(p.limit)}`;
    case "maximum":
      return `must be at most ${show(p.limit)}`;
    case "exclusiveMinimum":
      return `must be greater than ${show(p.limit)}`;
    case "exclusiveMaximum":
      return `must be less than ${show(p.limit)}`;
    case "multipleOf":
      return `must be a multiple of ${show(p.multipleOf)}`;
    case "uniqueItems":
      return `must not repeat items (items ${show(p.j)} and ${show(p.i)} are equal)`;
    case "anyOf":
      return "must match at least one of the allowed shapes";
    case "oneOf":
      return "must match exactly one of the allowed shapes";
    case "not":
      return "must not match the excluded shape";
    case "false schema":
      return "is not allowed here";
    case "propertyNames":
      return `has a field name that is not allowed: ${show(p.propertyName)}`;
    case "if":
      return undefined;
    default:
      return `${e.message ?? "is invalid"} (${e.keyword})`;
  }
}

function pointerOf(e: ErrorObject, base: string): string {
  const p = e.params as Record<string, unknown>;
  const child =
    e.keyword === "required"
      ? p.missingProperty
      : e.keyword === "additionalProperties"
        ? p.additionalProperty
        : e.keyword === "unevaluatedProperties"
          ? p.unevaluatedProperty
          : undefined;
  return `${base}${e.instancePath}${typeof child === "string" ? `/${escapePointer(child)}` : ""}`;
}

/** Problems for `errors`, pointers prefixed with `base`, duplicates dropped. */
export function problemsFromAjv(errors: readonly ErrorObject[] | null | undefined, base = ""): Problem[] {
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const e of errors ?? []) {
    const text = message(e);
    if (text === undefined) continue;
    const pointer = pointerOf(e, base);
    const key = `${pointer}\u0000${text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ pointer, message: text });
  }
  return out;
}
