// Backward compatibility of JSON Schema (2020-12) versions in the action
// registry: every instance the old schema accepts MUST stay valid under the
// new one. What cannot be proven compatible is reported as breaking.
import { encodeCanonicalJson, escapePointer, type JsonValue } from "../canonical-json.js";
import type { Problem } from "../errors.js";

type Node = boolean | { [keyword: string]: JsonValue };
type Out = Problem[];

/** Keywords with no effect on validity. */
const ANNOTATIONS = new Set([
  "title",
  "description",
  "$comment",
  "examples",
  "default",
  "deprecated",
  "readOnly",
  "writeOnly",
  "contentMediaType",
  "contentEncoding",
  "contentSchema",
]);

/** Keywords this module reasons about; any other change is unprovable. */
const HANDLED = new Set([
  "type",
  "enum",
  "const",
  "required",
  "properties",
  "additionalProperties",
  "items",
  "prefixItems",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "uniqueItems",
  "pattern",
  "format",
  ...["Length", "Items", "Properties", "Contains"].flatMap((s) => [`min${s}`, `max${s}`]),
]);

const ALL_TYPES = ["array", "boolean", "integer", "null", "number", "object", "string"];

/**
 * Every reason `newSchema` would reject an instance `oldSchema` accepts, each
 * as "<pointer into the schema>: <what breaks>"; empty means compatible.
 */
export function checkBackwardCompatible(oldSchema: JsonValue, newSchema: JsonValue): string[] {
  return compatibilityProblems(oldSchema, newSchema).map((p) => `${p.pointer || "(root)"}: ${p.message}`);
}

/** The same reasons as problems, pointers prefixed with `base`. */
export function compatibilityProblems(oldSchema: JsonValue, newSchema: JsonValue, base = ""): Problem[] {
  const out: Out = [];
  const o = asNode(oldSchema, base, out);
  const n = asNode(newSchema, base, out);
  if (o !== undefined && n !== undefined) compare(o, n, base, out);
  return out;
}

function asNode(value: JsonValue | undefined, at: string, out: Out): Node | undefined {
  if (value === undefined) return true;
  if (typeof value === "boolean") return value;
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return value;
  out.push({ pointer: at, message: "is not a JSON Schema (neither an object nor a boolean)" });
  return undefined;
}

function same(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return encodeCanonicalJson(a) === encodeCanonicalJson(b);
}

function objectOf(value: JsonValue | undefined): { [key: string]: JsonValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
}

function compareAt(o: JsonValue | undefined, n: JsonValue | undefined, at: string, out: Out, note = ""): void {
  const inner: Out = [];
  const on = asNode(o, at, inner);
  const nn = asNode(n, at, inner);
  if (on !== undefined && nn !== undefined) compare(on, nn, at, inner);
  for (const p of inner) out.push(note === "" ? p : { pointer: p.pointer, message: `${p.message} ${note}` });
}

function compare(o: Node, n: Node, at: string, out: Out): void {
  if (o === false || same(o, n)) return;
  if (n === false) {
    out.push({ pointer: at, message: "schema became false, which rejects every value" });
    return;
  }
  const os = o === true ? {} : o;
  const ns = n === true ? {} : n;
  compareTypes(os, ns, at, out);
  compareValues(os, ns, at, out);
  compareRequired(os, ns, at, out);
  compareNumbers(os, ns, at, out);
  compareCounts(os, ns, at, out);
  compareStrings(os, ns, at, out);
  compareProperties(os, ns, at, out);
  compareItems(os, ns, at, out);
  for (const key of new Set([...Object.keys(os), ...Object.keys(ns)])) {
    if (HANDLED.has(key) || ANNOTATIONS.has(key) || same(os[key], ns[key])) continue;
    const how = os[key] === undefined ? "added" : ns[key] === undefined ? "removed" : "changed";
    out.push({
      pointer: `${at}/${escapePointer(key)}`,
      message: `${key} ${how}; compatibility cannot be proven, so the change counts as breaking`,
    });
  }
}

type Schema = { [keyword: string]: JsonValue };

function compareTypes(os: Schema, ns: Schema, at: string, out: Out): void {
  const list = (t: JsonValue | undefined) =>
    t === undefined ? undefined : (Array.isArray(t) ? t : [t]).map((x) => String(x));
  const ot = list(os.type);
  const nt = list(ns.type);
  if (nt === undefined) return;
  const lost = (ot ?? ALL_TYPES).filter((t) => !nt.includes(t) && !(t === "integer" && nt.includes("number")));
  if (lost.length === 0) return;
  const from = ot === undefined ? "any type" : `[${ot.join(",")}]`;
  out.push({ pointer: at, message: `type narrowed from ${from} to [${nt.join(",")}]` });
}

function compareValues(os: Schema, ns: Schema, at: string, out: Out): void {
  const oldValues = os.const !== undefined ? [os.const] : Array.isArray(os.enum) ? os.enum : undefined;
  const show = (values: JsonValue[]) => values.map((v) => JSON.stringify(v)).join(", ");
  const check = (keyword: "enum" | "const", allowed: JsonValue[]) => {
    if (oldValues === undefined) {
      out.push({ pointer: at, message: `${keyword} added: only ${show(allowed)} accepted now` });
      return;
    }
    const lost = oldValues.filter((v) => !allowed.some((a) => same(a, v)));
    if (lost.length > 0) out.push({ pointer: at, message: `${keyword} narrowed: ${show(lost)} no longer accepted` });
  };
  if (Array.isArray(ns.enum)) check("enum", ns.enum);
  if (ns.const !== undefined) check("const", [ns.const]);
}

function compareRequired(os: Schema, ns: Schema, at: string, out: Out): void {
  const old = new Set(Array.isArray(os.required) ? os.required : []);
  for (const name of Array.isArray(ns.required) ? ns.required : []) {
    if (old.has(name) || typeof name !== "string") continue;
    out.push({ pointer: `${at}/properties/${escapePointer(name)}`, message: "became required" });
  }
}

interface Bound {
  keyword: string;
  value: number;
  exclusive: boolean;
}

function bound(s: Schema, inclusive: string, exclusive: string, lower: boolean): Bound | undefined {
  const candidates: Bound[] = [];
  if (typeof s[inclusive] === "number") candidates.push({ keyword: inclusive, value: s[inclusive], exclusive: false });
  if (typeof s[exclusive] === "number") candidates.push({ keyword: exclusive, value: s[exclusive], exclusive: true });
  return candidates.reduce<Bound | undefined>(
    (best, b) => (best === undefined || tighter(b, best, lower) ? b : best),
    undefined,
  );
}

function tighter(a: Bound, b: Bound, lower: boolean): boolean {
  if (a.value !== b.value) return lower ? a.value > b.value : a.value < b.value;
  return a.exclusive && !b.exclusive;
}

function compareNumbers(os: Schema, ns: Schema, at: string, out: Out): void {
  for (const lower of [true, false]) {
    const [inc, exc] = lower ? ["minimum", "exclusiveMinimum"] : ["maximum", "exclusiveMaximum"];
    const ob = bound(os, inc, exc, lower);
    const nb = bound(ns, inc, exc, lower);
    if (nb === undefined || (ob !== undefined && !tighter(nb, ob, lower))) continue;
    const from = ob === undefined ? "none" : `${ob.keyword} ${ob.value}`;
    const side = lower ? "lower" : "upper";
    out.push({ pointer: at, message: `${side} bound tightened from ${from} to ${nb.keyword} ${nb.value}` });
  }
  if (typeof ns.multipleOf === "number") {
    const old = os.multipleOf;
    if (typeof old !== "number" || !Number.isInteger(old / ns.multipleOf)) {
      const from = typeof old === "number" ? `multipleOf ${old}` : "none";
      out.push({ pointer: at, message: `multipleOf tightened from ${from} to multipleOf ${ns.multipleOf}` });
    }
  }
}

function compareCounts(os: Schema, ns: Schema, at: string, out: Out): void {
  for (const subject of ["Length", "Items", "Properties", "Contains"]) {
    const min = `min${subject}`;
    const max = `max${subject}`;
    const oMin = typeof os[min] === "number" ? os[min] : 0;
    const nMin = typeof ns[min] === "number" ? ns[min] : 0;
    if (nMin > oMin) out.push({ pointer: at, message: `${min} tightened from ${oMin} to ${nMin}` });
    const oMax = typeof os[max] === "number" ? os[max] : Number.POSITIVE_INFINITY;
    const nMax = typeof ns[max] === "number" ? ns[max] : Number.POSITIVE_INFINITY;
    if (nMax < oMax) {
      const from = oMax === Number.POSITIVE_INFINITY ? "unbounded" : String(oMax);
      out.push({ pointer: at, message: `${max} tightened from ${from} to ${nMax}` });
    }
  }
  if (ns.uniqueItems === true && os.uniqueItems !== true) {
    out.push({ pointer: at, message: "uniqueItems added: arrays with repeated items are now rejected" });
  }
}

function compareStrings(os: Schema, ns: Schema, at: string, out: Out): void {
  for (const keyword of ["pattern", "format"]) {
    if (ns[keyword] === undefined || same(os[keyword], ns[keyword])) continue;
    const how = os[keyword] === undefined ? "added" : `changed from ${JSON.stringify(os[keyword])}`;
    out.push({ pointer: at, message: `${keyword} ${how} to ${JSON.stringify(ns[keyword])}` });
  }
}

function matchesAnyPattern(patternProperties: JsonValue | undefined, key: string): boolean {
  return Object.keys(objectOf(patternProperties)).some((p) => {
    try {
      return new RegExp(p, "u").test(key);
    } catch {
      return false;
    }
  });
}

function compareProperties(os: Schema, ns: Schema, at: string, out: Out): void {
  const op = objectOf(os.properties);
  const np = objectOf(ns.properties);
  const oldExtra = os.additionalProperties ?? true;
  const newExtra = ns.additionalProperties ?? true;
  for (const key of Object.keys(op)) {
    const here = `${at}/properties/${escapePointer(key)}`;
    if (Object.hasOwn(np, key)) compareAt(op[key], np[key], here, out);
    else if (matchesAnyPattern(ns.patternProperties, key)) continue;
    else if (newExtra === false) {
      out.push({
        pointer: here,
        message: "property removed while additionalProperties is false, so it is now rejected",
      });
    } else compareAt(op[key], newExtra, `${at}/additionalProperties`, out, `(for removed property "${key}")`);
  }
  for (const key of Object.keys(np)) {
    if (Object.hasOwn(op, key)) continue;
    const here = `${at}/properties/${escapePointer(key)}`;
    if (matchesAnyPattern(os.patternProperties, key)) {
      if (!same(np[key], true) && !same(np[key], {})) {
        out.push({
          pointer: here,
          message: "added property overlaps old patternProperties; compatibility cannot be proven",
        });
      }
    } else if (oldExtra !== false) {
      compareAt(oldExtra, np[key], here, out, "(the old schema accepted this field through additionalProperties)");
    }
  }
  if (same(oldExtra, newExtra)) return;
  if (newExtra === false) {
    out.push({
      pointer: `${at}/additionalProperties`,
      message: "additionalProperties became false, so fields not listed in properties are now rejected",
    });
  } else compareAt(oldExtra, newExtra, `${at}/additionalProperties`, out);
}

function compareItems(os: Schema, ns: Schema, at: string, out: Out): void {
  const op = Array.isArray(os.prefixItems) ? os.prefixItems : [];
  const np = Array.isArray(ns.prefixItems) ? ns.prefixItems : [];
  const oi = os.items ?? true;
  const ni = ns.items ?? true;
  for (let i = 0; i < Math.max(op.length, np.length); i++) {
    const here = i < np.length ? `${at}/prefixItems/${i}` : `${at}/items`;
    compareAt(op[i] ?? oi, np[i] ?? ni, here, out, i < np.length ? "" : `(for array position ${i})`);
  }
  compareAt(oi, ni, `${at}/items`, out);
}
