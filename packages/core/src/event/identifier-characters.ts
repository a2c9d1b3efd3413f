// Identifiers of an event (log format v1) hold no control characters and no
// bidirectional formatting characters: ids are compared, searched and shown
// to people deciding who did what, and `usr_\u202eimda` displays as
// "usr_admi". Free text (message, names, condition, rationale, states,
// metadata) may hold them: it is shown as text, never matched as a name.
import type { Problem } from "../errors.js";
import type { JsonRecord } from "./validate-event-input.js";

/** The bidirectional formatting characters of Unicode UAX #9, by name. */
const BIDI_NAMES: Readonly<Record<number, string>> = {
  1564: "ARABIC LETTER MARK",
  8206: "LEFT-TO-RIGHT MARK",
  8207: "RIGHT-TO-LEFT MARK",
  8234: "LEFT-TO-RIGHT EMBEDDING",
  8235: "RIGHT-TO-LEFT EMBEDDING",
  8236: "POP DIRECTIONAL FORMATTING",
  8237: "LEFT-TO-RIGHT OVERRIDE",
  8238: "RIGHT-TO-LEFT OVERRIDE",
  8294: "LEFT-TO-RIGHT ISOLATE",
  8295: "RIGHT-TO-LEFT ISOLATE",
  8296: "FIRST STRONG ISOLATE",
  8297: "POP DIRECTIONAL ISOLATE",
};

/** C0 controls, DEL, C1 controls, and every character of BIDI_NAMES. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * Every identifier of the envelope, as paths from the event; a last `*`
 * stands for each element of an array. The ones whose schema pattern admits only ASCII
 * letters, digits and punctuation (id, action, the types, tags,
 * outcome.reason, caused_by, overrides, trace and span ids) cannot hold these
 * characters today; they are listed all the same, so that loosening a
 * pattern cannot let them in.
 */
export const IDENTIFIER_PATHS: readonly (readonly string[])[] = [
  ["id"],
  ["action"],
  ["actor", "type"],
  ["actor", "id"],
  ["actor", "on_behalf_of", "type"],
  ["actor", "on_behalf_of", "id"],
  ["target", "type"],
  ["target", "id"],
  ["target", "path", "*"],
  ["outcome", "reason"],
  ["context", "session_id"],
  ["context", "request_id"],
  ["context", "device_fingerprint"],
  ["context", "environment"],
  ["context", "region"],
  ["context", "trace_id"],
  ["context", "span_id"],
  ["automation", "workflow_id"],
  ["automation", "workflow_version"],
  ["automation", "run_id"],
  ["automation", "step"],
  ["automation", "trigger_id"],
  ["automation", "rule_id"],
  ["automation", "caused_by"],
  ["automation", "overrides"],
  ["automation", "decision_path", "*"],
  ["tags", "*"],
];

/** What is wrong with `value`, which UNSAFE matches. */
function unsafeProblem(value: string): string {
  const code = (UNSAFE.exec(value) as RegExpExecArray)[0].charCodeAt(0);
  const name = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  const what =
    BIDI_NAMES[code] === undefined
      ? "a control character"
      : `${BIDI_NAMES[code]}, a bidirectional formatting character`;
  return `holds ${name} (${what}); identifiers may hold neither control nor bidirectional formatting characters, which make them display as something they are not`;
}

/** Each identifier path split once: the keys to walk, whether a list ends it, and its pointer. */
const WALKS = IDENTIFIER_PATHS.map((path) => {
  const list = path[path.length - 1] === "*";
  const keys = list ? path.slice(0, -1) : path;
  return { keys, list, pointer: `/${keys.join("/")}` };
});

/** Adds a problem when `value` is an unsafe string; `index` is its place in a list. */
function check(value: unknown, pointer: string, problems: Problem[], index?: number): void {
  if (typeof value !== "string" || !UNSAFE.test(value)) return;
  problems.push({ pointer: index === undefined ? pointer : `${pointer}/${index}`, message: unsafeProblem(value) });
}

/**
 * A problem at every identifier of `event` (untrusted) that holds a control or
 * bidirectional formatting character. Runs on every event on the ingest fast
 * path: a plain walk, pointers built only for a problem.
 */
export function identifierProblems(event: JsonRecord): Problem[] {
  const problems: Problem[] = [];
  for (const { keys, list, pointer } of WALKS) {
    let node: unknown = event;
    for (let i = 0; i < keys.length && node !== undefined; i++) {
      node =
        typeof node === "object" && node !== null && !Array.isArray(node)
          ? (node as JsonRecord)[keys[i] as string]
          : undefined;
    }
    if (!list) check(node, pointer, problems);
    else if (Array.isArray(node)) for (let i = 0; i < node.length; i++) check(node[i], pointer, problems, i);
  }
  return problems;
}
