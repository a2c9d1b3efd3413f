// The fuzzer's vocabulary: hostile path segments, query strings, header values
// and JSON body mutations, each with a label a failure report names. A body
// mutation says whether strict input (issue 10: I-JSON, RFC 8785, and the
// event format's own limits) requires the request to be refused.

/** A seeded source of choices. */
export type Rng = () => number;

export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
export const chance = (rng: Rng, p: number) => rng() < p;
export const intBetween = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

/** Path segments as they go on the wire (already percent-encoded where they should be). */
export const HOSTILE_SEGMENTS: readonly string[] = [
  "..",
  "../../../../etc/passwd",
  "..%2f..%2f..%2fetc%2fpasswd",
  "%2e%2e%2f%2e%2e%2fpackage.json",
  "%2e%2e",
  "....//....//",
  "%00",
  "a%00b",
  "%",
  "%zz",
  "%ff%fe",
  // A lone surrogate and an overlong "/" in UTF-8.
  "%ED%A0%80",
  "%C0%AF",
  "%E2%80%AE", // U+202E RIGHT-TO-LEFT OVERRIDE
  "usr_%E2%80%AEimda",
  "%EF%BB%BF", // a byte order mark
  "%F0%9F%92%A9",
  "%EF%BF%BF", // U+FFFF, a noncharacter
  "e%CC%81", // e and a combining acute (NFD)
  "%E2%80%8B", // ZERO WIDTH SPACE
  "%20",
  "+",
  "%2B",
  "%252e%252e",
  "x".repeat(129),
  "x".repeat(257),
  "x".repeat(5000),
  "1e309",
  "-1",
  "0x10",
  "NaN",
  "null",
  "undefined",
  "__proto__",
  "constructor",
  "*",
  ";",
  "a;b=c",
  "%3Bx",
  "%23frag",
  "%3F%3F",
  "'%20OR%201=1--",
  "%22%3E%3Cscript%3E",
  "$%7Bjndi:ldap://x%7D",
];

/** Values for query parameters (percent-encoded where they should be). */
export const HOSTILE_QUERY_VALUES: readonly string[] = [
  "",
  "0",
  "-1",
  "-0",
  "1",
  "50",
  "1001",
  "1e309",
  "1.5",
  "0x10",
  "NaN",
  "Infinity",
  "9007199254740993",
  "99999999999999999999999999",
  "true",
  "null",
  "[]",
  "%7B%7D",
  "asc",
  "desc",
  "sideways",
  "hour",
  "week",
  "2026-11-02T09:00:00Z",
  "2026-02-30T00:00:00Z",
  "0000-01-01T00:00:00Z",
  "9999-12-31T23:59:59Z",
  "yesterday",
  "app.*",
  "*",
  "%2A%2A%2A",
  "actor%3Ausr_ada%20action%3Aapp.*",
  "%22unterminated",
  "((((((((",
  "actor%3A",
  "after%3A2026-13-45",
  "risk%3Aextreme",
  "%E2%80%AE",
  "%ED%A0%80",
  "%C0%AF",
  "%00",
  "%",
  "%zz",
  "q".repeat(3000),
  "a%20".repeat(500),
];

export const GENERIC_QUERY_NAMES: readonly string[] = [
  "q",
  "limit",
  "cursor",
  "order",
  "actor_id",
  "action",
  "after",
  "before",
  "from",
  "to",
  "start",
  "end",
  "index",
  "size",
  "min_index",
  "bucket",
  "days",
  "colour",
  "__proto__",
  "constructor[prototype][x]",
  "a[]",
  "a[b]",
  "",
];

export const CONTENT_TYPES: readonly { value: string; strict: boolean }[] = [
  { value: "application/json; charset=utf-8", strict: false },
  { value: "application/json; charset=UTF-8", strict: false },
  { value: "APPLICATION/JSON", strict: false },
  { value: "application/json; charset=utf-16", strict: true },
  { value: "application/json; charset=iso-8859-1", strict: true },
  { value: "application/json; charset=nonsense", strict: true },
  { value: "text/plain", strict: false },
  { value: "text/plain; charset=utf-8", strict: false },
  { value: "application/x-www-form-urlencoded", strict: false },
  { value: "multipart/form-data; boundary=xyz", strict: false },
  { value: "application/problem+json", strict: false },
  { value: "application/merge-patch+json", strict: false },
  { value: "application/jsonx", strict: false },
  { value: "application/json;;;", strict: false },
  { value: "", strict: false },
  { value: "*/*", strict: false },
  { value: `application/json; x=${"y".repeat(4000)}`, strict: false },
];

/** JSON strings (their quoted, escaped form) holding Unicode oddities. */
export const ODD_STRINGS: readonly { json: string; label: string; strict: boolean }[] = [
  { json: '"\\ud800"', label: "lone high surrogate", strict: true },
  { json: '"a\\udc00b"', label: "lone low surrogate", strict: true },
  { json: '"\\uffff"', label: "noncharacter U+FFFF", strict: true },
  { json: '"\\ufdd0"', label: "noncharacter U+FDD0", strict: true },
  { json: '"\\u0000"', label: "NUL", strict: false },
  { json: '"a\\u2028b\\u2029"', label: "line separators", strict: false },
  { json: '"\\u200d\\ud83d\\udc69\\u200d\\ud83d\\udcbb"', label: "ZWJ emoji", strict: false },
  { json: '"e\\u0301"', label: "NFD", strict: false },
  { json: '"\\ufeffbom"', label: "BOM inside a string", strict: false },
  { json: '"\\ue000"', label: "private use", strict: false },
  { json: '"\\ud83d\\ude00"', label: "surrogate pair", strict: false },
];

/** Characters issue 10 refuses in ids, actions, types, environments and tags (when sent in an event). */
export const ID_POISON: readonly { json: string; label: string }[] = [
  { json: "\\u202e", label: "RIGHT-TO-LEFT OVERRIDE" },
  { json: "\\u2066", label: "LEFT-TO-RIGHT ISOLATE" },
  { json: "\\u200f", label: "RIGHT-TO-LEFT MARK" },
  { json: "\\u0007", label: "BEL" },
  { json: "\\u001b[31m", label: "ESC" },
  { json: "\\u0085", label: "NEXT LINE (C1)" },
];

/** Raw bytes that are not UTF-8, placed inside a JSON string. */
export const INVALID_UTF8: readonly { bytes: number[]; label: string }[] = [
  { bytes: [0xff], label: "0xFF" },
  { bytes: [0xc0, 0xaf], label: "overlong /" },
  { bytes: [0xe2, 0x82], label: "truncated sequence" },
  { bytes: [0xed, 0xa0, 0x80], label: "encoded surrogate" },
  { bytes: [0xf4, 0x90, 0x80, 0x80], label: "above U+10FFFF" },
  { bytes: [0x80], label: "lone continuation byte" },
];

export interface BodyMutation {
  label: string;
  /** Strict input requires this body to be refused, wherever it is parsed. */
  strict: boolean;
  bytes: Buffer;
}

const utf8 = (s: string) => Buffer.from(s, "utf8");

/** A value nested `depth` levels deep, as JSON text. */
function deep(rng: Rng, depth: number): string {
  return chance(rng, 0.5)
    ? `${"[".repeat(depth)}1${"]".repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

/** Replaces the value of the first member named `key` in `json` (a shallow, textual edit). */
function withMember(json: string, member: string): string {
  return json.startsWith("{") && json.length > 2 ? `{${member},${json.slice(1)}` : `{${member}}`;
}

/**
 * One mutation of a well-formed JSON body `json` (an object's text). `eventBody`
 * is true for POST /v1/events, where the event format's limits apply too.
 */
export function mutateBody(rng: Rng, json: string, eventBody: boolean): BodyMutation {
  const kinds = [
    "truncated",
    "garbage-byte",
    "trailing-comma",
    "single-quotes",
    "comment",
    "nan",
    "two-documents",
    "bom",
    "empty",
    "scalar",
    "whitespace",
    "overflowing-number",
    "long-number",
    "wrong-type",
    "huge-string",
    "huge-array",
    "many-keys",
    "deep",
    "duplicate-key",
    "proto-key",
    "constructor-prototype",
    "odd-string",
    "invalid-utf8",
    "extra-field",
    "null-body",
  ];
  if (eventBody)
    kinds.push("id-poison", "id-poison", "occurred-at-range", "batch-oversize", "batch-mixed", "batch-nested");
  const kind = pick(rng, kinds);
  const m = (label: string, text: string | Buffer, strict = false): BodyMutation => ({
    label: `body:${label}`,
    strict,
    bytes: typeof text === "string" ? utf8(text) : text,
  });
  switch (kind) {
    case "truncated":
      return m(kind, json.slice(0, intBetween(rng, 0, Math.max(0, json.length - 1))));
    case "garbage-byte": {
      const at = intBetween(rng, 0, json.length);
      return m(
        kind,
        `${json.slice(0, at)}${pick(rng, ["\x00", "}", "{", "]", ",", ":", '"', "\\", "\x7f"])}${json.slice(at)}`,
      );
    }
    case "trailing-comma":
      return m(kind, json.replace(/}$/, ",}"));
    case "single-quotes":
      return m(kind, json.replaceAll('"', "'"));
    case "comment":
      return m(kind, `/* hi */${json}`);
    case "nan":
      return m(
        kind,
        withMember(json, `"n":${pick(rng, ["NaN", "Infinity", "-Infinity", "undefined", "01", "+1", ".5"])}`),
      );
    case "two-documents":
      return m(kind, `${json}${json}`);
    case "bom":
      return m(kind, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(json)]), true);
    case "empty":
      return m(kind, "");
    case "scalar":
      return m(kind, pick(rng, ["null", "0", '"event"', "true", "[]", "[{}]", "-0", "1e5"]));
    case "whitespace":
      return m(kind, pick(rng, [" ", "\n\n", "\t", "\r\n"]));
    case "overflowing-number":
      return m(kind, withMember(json, `"n":${pick(rng, ["1e400", "-1e400", "1e309"])}`), true);
    case "long-number":
      return m(kind, withMember(json, `"n":${"9".repeat(intBetween(rng, 30, 20_000))}`));
    case "wrong-type": {
      const value = pick(rng, ["null", "0", "-1", "1.5", "true", '"x"', "[]", "{}", '[{"a":1}]', '""']);
      // Every member's value: the first member of each object, textually.
      return m(kind, json.replace(/("[^"]+":)("[^"]*"|-?\d+(\.\d+)?|true|false|null)/, `$1${value}`));
    }
    case "huge-string":
      return m(kind, withMember(json, `"s":"${"x".repeat(intBetween(rng, 100_000, 1_200_000))}"`));
    case "huge-array":
      return m(
        kind,
        withMember(json, `"a":[${Array.from({ length: intBetween(rng, 10_000, 150_000) }, () => "0").join(",")}]`),
      );
    case "many-keys":
      return m(
        kind,
        withMember(
          json,
          `"o":{${Array.from({ length: intBetween(rng, 1000, 30_000) }, (_, i) => `"k${i}":${i}`).join(",")}}`,
        ),
      );
    case "deep":
      return m(kind, withMember(json, `"d":${deep(rng, pick(rng, [33, 64, 1000, 10_000, 100_000, 500_000]))}`));
    case "duplicate-key": {
      // The body's first member again (twice, for an empty object): JSON.parse would keep the last.
      const member = /^\{("[^"]+"):/.exec(json)?.[1];
      const twice = member ? withMember(json, `${member}:"duplicate"`) : `{"id":"a","id":"b"}`;
      return m(kind, twice, true);
    }
    case "proto-key":
      return m(kind, withMember(json, `"__proto__":{"admin":true}`));
    case "constructor-prototype":
      return m(kind, withMember(json, `"constructor":{"prototype":{"admin":true}}`));
    case "odd-string": {
      const odd = pick(rng, ODD_STRINGS);
      return m(`${kind}:${odd.label}`, withMember(json, `"u":${odd.json}`), odd.strict);
    }
    case "invalid-utf8": {
      const bad = pick(rng, INVALID_UTF8);
      // The bad bytes inside the first member's string value, the body otherwise intact.
      const rest = json.length > 2 ? `b",${json.slice(1)}` : 'b"}';
      return m(`${kind}:${bad.label}`, Buffer.concat([utf8('{"u":"a'), Buffer.from(bad.bytes), utf8(rest)]), true);
    }
    case "extra-field":
      return m(kind, withMember(json, `"unexpected_field_${intBetween(rng, 0, 99)}":1`));
    case "null-body":
      return m(kind, "null");
    case "id-poison": {
      const poison = pick(rng, ID_POISON);
      const field = pick(rng, ["id", "action", "actor.id", "target.id", "target.type", "tags", "context.environment"]);
      return m(`${kind}:${field}:${poison.label}`, poisonField(json, field, poison.json), true);
    }
    case "occurred-at-range":
      return m(
        kind,
        json.replace(
          /"occurred_at":"[^"]*"/,
          `"occurred_at":"${pick(rng, ["0000-01-01T00:00:00Z", "2999-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"])}"`,
        ),
        true,
      );
    case "batch-oversize":
      return m(kind, `{"events":[${Array.from({ length: 1001 }, () => json).join(",")}]}`);
    case "batch-mixed":
      return m(kind, `{"events":[${json},{"id":"x"},null,7,"s",[],${json.replace(/"id":"[^"]*"/, '"id":""')}]}`);
    default:
      return m(kind, `{"events":{"events":[${json}]}}`);
  }
}

/** `json` (one event's text) with `poison` inside the named field's string value. */
function poisonField(json: string, field: string, poison: string): string {
  const event = JSON.parse(json) as Record<string, unknown>;
  const mark = "@@POISON@@";
  const [head, tail] = field.split(".") as [string, string | undefined];
  if (head === "tags") event.tags = [`tag${mark}`];
  else if (tail === undefined) event[head] = `${String(event[head] ?? "x")}${mark}`;
  else {
    const inner = (typeof event[head] === "object" && event[head] !== null ? event[head] : {}) as Record<
      string,
      unknown
    >;
    inner[tail] = `${String(inner[tail] ?? "x")}${mark}`;
    event[head] = inner;
  }
  return JSON.stringify(event).replace(mark, poison);
}
