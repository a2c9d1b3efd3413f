// A deterministic corpus for characterising sealing (seal-corpus.test.ts):
// bench events (seal-corpus-events.json, 72 of bench/event-generator.ts) and,
// from each, variants that reach every branch of prepareEvent: privacy rules
// with wildcards, patches, odd keys and numbers, and each kind of bad input.
import {
  type ActionDefinition,
  ActionRegistry,
  builtinCatalogue,
  encodeCanonicalJson,
  seededRandom,
} from "@trailproof/core";
import { nodeHasher } from "../node-hasher.js";
import type { UnknownActionPolicy } from "../store/log-store.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Event = { [key: string]: Json };

export interface CorpusCase {
  input: unknown;
  unknownActions: UnknownActionPolicy;
}

/** Custom actions whose privacy rules use wildcards, secrets and whole-part patterns. */
const custom: ActionDefinition[] = [
  {
    action: "crm.contact.sync",
    version: 1,
    kind: "update",
    category: "data",
    defaultRisk: "medium",
    messageTemplate: "{actor.id} synced {target.id} ({outcome})",
    metadataSchema: { type: "object" },
    stateSchema: { type: "object" },
    privacy: {
      metadata: { "/auth/*": "secret", "/recipient": "personal", "/list/*": "personal", "/public": "public" },
      state: {
        "/contacts/*/email": "personal",
        "/contacts/*/ssn": "secret",
        "/owner": "personal",
        "/*/token": "secret",
        "/tags/*": "personal",
        "/a~1b/~0c": "personal",
        "/profile": "secret",
        "/profile/name": "personal",
      },
    },
  },
  {
    action: "crm.contact.sync",
    version: 2,
    kind: "update",
    category: "data",
    defaultRisk: "high",
    metadataSchema: { type: "object" },
    stateSchema: { type: "object" },
    privacy: { metadata: { "": "personal" }, state: { "/*": "personal", "/keep": "public" } },
  },
  {
    action: "crm.note.add",
    version: 1,
    kind: "create",
    category: "data",
    defaultRisk: "low",
    privacy: { state: { "": "secret" } },
  },
];

export function corpusRegistry(): ActionRegistry {
  return new ActionRegistry([...builtinCatalogue, ...custom]);
}

const copy = (e: Event): Event => JSON.parse(JSON.stringify(e)) as Event;
const hashOf = (state: Json) =>
  `sha256:${Buffer.from(nodeHasher.sha256(Buffer.from(encodeCanonicalJson(state)))).toString("hex")}`;

function nested(depth: number): Json {
  let v: Json = "leaf";
  for (let i = 0; i < depth; i++) v = { n: v };
  return v;
}

const contactBefore: Json = {
  contacts: [
    { email: "ada@example.com", ssn: "123", name: "Ada" },
    { email: "bob@example.com", name: "Bob", "10": 1, "2": 2, b: 3 },
  ],
  owner: { name: "Grace", email: "grace@example.com" },
  creds: { token: "t-1", other: 1 },
  tags: ["x", "y"],
  "a/b": { "~c": "slashy", d: 1 },
  profile: { name: "P", bio: "b" },
  keep: -0,
};
const contactAfter: Json = {
  contacts: [{ email: "ada@new.example", ssn: "123", name: "Ada" }, { email: "bob@example.com", name: "Bobby" }, {}],
  owner: "nobody",
  creds: { token: "t-2" },
  tags: ["x", "y", "z"],
  "a/b": { "~c": "slashier" },
  n: [1e21, 1e-7, 0.1, 5e-324, -1.5, 2 ** 53 + 2],
  "\u00e9": "\ud83d\ude00 \u2028 \u0001 \ud800",
  "\uffff": 1,
};

/** Valid events that exercise privacy, patches and encoding. */
const validVariants: Array<(e: Event, r: () => number) => void> = [
  () => {},
  (e) => delete e.id,
  (e) => {
    e.action = "crm.contact.sync";
    e.metadata = { auth: { key: "k", user: "u" }, recipient: "r@example.com", list: ["a", { b: 1 }], public: 1 };
    e.change = { before: contactBefore, after: contactAfter };
    delete e.message;
  },
  (e) => {
    e.action = "crm.contact.sync";
    e.action_version = 2;
    e.metadata = { any: "thing", "~": [] };
    e.change = { before: contactBefore, after: contactAfter };
  },
  (e) => {
    e.action = "crm.contact.sync";
    e.action_version = 1;
    e.change = {
      patch: [
        { op: "add", path: "/contacts/0", value: { email: "new@example.com", ssn: "9", name: "N" } },
        { op: "replace", path: "/owner", value: { name: "x" } },
        { op: "add", path: "/contacts", value: [{ email: "e" }, { ssn: "s" }] },
        { op: "add", path: "/creds", value: { token: "tok" } },
        { op: "add", path: "/tags/1", value: "t" },
        { op: "remove", path: "/profile" },
        { op: "add", path: "/profile/name", value: "secret-or-personal" },
      ],
    };
  },
  (e) => {
    e.action = "crm.contact.sync";
    const before = { owner: "a", contacts: [{ email: "x" }] } as Json;
    const after = { owner: "b", contacts: [{ email: "y" }] } as Json;
    e.change = {
      before,
      after,
      patch: [
        { op: "replace", path: "/owner", value: "b" },
        { op: "replace", path: "/contacts/0/email", value: "y" },
      ],
      before_hash: hashOf(before),
      after_hash: hashOf(after),
    };
  },
  (e) => {
    e.action = "crm.note.add";
    e.change = { after: { text: "hello", secret: true } };
  },
  (e) => {
    e.action = "record.update";
    e.change = {
      before: { email: "a@b.c", phone: "1", password: "pw", status: "lead" },
      after: { email: "a@b.d", address: { city: "X" }, status: "customer", name: null },
    };
    e.metadata = { table: "contacts", record_id: "r1", changed_fields: ["email"] };
  },
  (e) => {
    e.change = { before: "scalar", after: ["now", "an", "array"] };
  },
  (e) => {
    e.change = { before: [1, 2, { a: 1 }], after: [2, { a: 2 }] };
  },
  (e) => {
    e.change = { before: { same: 1 }, after: { same: 1 } };
  },
  (e) => {
    e.change = { before: 5, after: 5 };
  },
  (e) => {
    e.actor = { type: "service_account", id: "svc", name: "Svc", on_behalf_of: { type: "user", id: "u", name: "U" } };
    e.context = { ...(e.context as Event), device_fingerprint: "fp", ip: "::1" };
    e.outcome = { status: "failure", reason: "x.y" };
    e.risk = "critical";
    e.tags = [];
  },
  (e) => {
    e.action = "shop.cart.abandon";
    e.kind = "update";
    e.category = "data";
    e.metadata = { "10": 1, "2": 2, "": 0, "\u007f": "del", a: { "~0": "~1" } };
  },
  (e) => {
    delete e.message;
    delete e.outcome;
    delete e.metadata;
    delete e.tags;
    delete e.context;
  },
  (e) => {
    e.metadata = {};
    e.occurred_at = "2026-03-01T23:59:59.999999+23:59";
  },
  (e) => {
    e.metadata = { deep: nested(29) };
  },
];

/** Inputs that must be rejected, each with its own problem list. */
const invalidVariants: Array<(e: Event, r: () => number) => unknown> = [
  (e, r) => {
    delete e[["action", "occurred_at", "actor", "target"][Math.floor(r() * 4)] as string];
    return e;
  },
  (e) => ({ ...e, action: 5, actor: "x", tags: "a" }),
  (e) => ({ ...e, extra: 1, actor: { ...(e.actor as Event), extra: true }, target: { type: "Page", id: "" } }),
  (e, r) => ({
    ...e,
    occurred_at: [
      "2026-02-30T00:00:00Z",
      "2026-01-01T24:00:00Z",
      "garbage",
      "2026-06-30T23:59:60Z",
      "2026-01-01T00:00:00+24:00",
    ][Math.floor(r() * 5)] as string,
  }),
  (e) => ({ ...e, context: { ...(e.context as Event), ip: "999.1.1.1", trace_id: "0".repeat(32) } }),
  (e) => ({ ...e, change: { before: { a: 1 }, after: { a: 2 }, before_hash: `sha256:${"0".repeat(64)}` } }),
  (e) => ({ ...e, change: { after: { a: 2 }, before_hash: `sha256:${"0".repeat(64)}` } }),
  (e) => ({ ...e, change: { before: { a: 1 }, after: { a: 2 }, patch: [{ op: "replace", path: "/a", value: 3 }] } }),
  (e) => ({ ...e, change: { before: { a: 1 }, after: { a: 2 }, patch: [{ op: "remove", path: "/zz" }] } }),
  (e) => ({
    ...e,
    change: {
      before: {},
      after: {},
      patch: [
        { op: "add", path: "/a" },
        { op: "move", path: "/b" },
        { op: "test", path: "/c", value: 1, from: "/d" },
      ],
    },
  }),
  (e) => ({ ...e, change: {} }),
  (e) => ({ ...e, metadata: { big: "x".repeat(17_000) } }),
  (e) => ({ ...e, change: { before: { big: "\u00e9".repeat(40_000) }, after: {} } }),
  (e) => ({ ...e, metadata: { big: ["y".repeat(200_000), "z".repeat(70_000)] } }),
  (e) => ({ ...e, metadata: { deep: nested(40) } }),
  (e) => ({ ...e, metadata: { deep: nested(31) } }),
  (e) => ({ ...e, metadata: { u: undefined } }),
  (e) => ({ ...e, change: { before: { n: Number.NaN }, after: { n: Number.POSITIVE_INFINITY } } }),
  (e) => ({ ...e, metadata: { f: () => 1 } }),
  (e) => ({ ...e, metadata: { d: new Date(0) } }),
  (e) => ({ ...e, metadata: { m: new Map() } }),
  (e) => ({ ...e, metadata: { b: BigInt(1) } }),
  (e) => ({ ...e, metadata: { s: Symbol("x") } }),
  // biome-ignore lint/suspicious/noSparseArray: a hole is not JSON
  (e) => ({ ...e, tags: ["a", , "b"] }),
  (e) => ({ ...e, metadata: JSON.parse('{"__proto__": {"x": 1}, "ok": 1}') }),
  (e) => ({ ...e, change: { before: { constructor: 1 }, after: [{ prototype: 2 }] } }),
  () => null,
  () => [1, 2],
  () => "event",
  () => 42,
  () => undefined,
  (e) => ({ ...e, action: "app.page.update", kind: "delete", category: "security" }),
  (e) => ({ ...e, action_version: 2 }),
  (e) => ({ ...e, action_version: 0 }),
  (e) => ({ ...e, action_version: 1.5 }),
  (e) => ({ ...e, action: "record.export", metadata: { record_count: "many", fields: [1] } }),
  (e) => ({ ...e, actor: { type: "automation", id: "a" }, automation: undefined }),
  (e) => {
    const { automation: _, ...rest } = e;
    return { ...rest, actor: { type: "automation", id: "a" } };
  },
  (e) => ({ ...e, action: "shop.cart.abandon", kind: undefined, category: undefined }),
  (e) => ({ ...e, action: "shop.cart.abandon", action_version: 1 }),
  (e) => ({ ...e, tags: ["Bad Tag", ...Array.from({ length: 40 }, (_, i) => `t${i}`)] }),
  (e) => ({ ...e, id: "a b" }),
  (e) => ({ ...e, id: "x".repeat(200) }),
  (e) => ({ ...e, message: "m".repeat(600), target: { ...(e.target as Event), name: "n".repeat(1100) } }),
  (e) => ({ ...e, schema_version: 2 }),
  (e) => ({ ...e, action: "crm.contact.sync", metadata: "not an object", change: { before: 1, after: "x" } }),
  (e) => ({ ...e, action: "Not.An.Action" }),
];

/** Objects that are JSON without being literals: null prototype, a getter. */
function oddButValid(e: Event): unknown {
  const bare = Object.assign(Object.create(null) as object, e);
  Object.defineProperty(bare, "message", { get: () => "from a getter", enumerable: true });
  return bare;
}

/** The corpus for `events`: each event as is, one valid and one invalid variant, plus a few combinations. */
export function buildCorpus(events: readonly Event[], seed = 1): CorpusCase[] {
  const r = seededRandom(seed);
  const out: CorpusCase[] = [];
  const pick = <T>(list: readonly T[]) => list[Math.floor(r() * list.length)] as T;
  const policy = (): UnknownActionPolicy => (r() < 0.5 ? "reject" : "accept");
  events.forEach((base, i) => {
    out.push({ input: copy(base), unknownActions: "reject" });
    const v = copy(base);
    (validVariants[i % validVariants.length] as (e: Event, r: () => number) => void)(v, r);
    out.push({ input: v, unknownActions: policy() });
    const bad = (invalidVariants[i % invalidVariants.length] as (e: Event, r: () => number) => unknown)(copy(base), r);
    out.push({ input: bad, unknownActions: policy() });
    if (i % 4 === 0) {
      let combo: unknown = copy(base);
      for (let k = 0; k < 3; k++) {
        combo = typeof combo === "object" && combo !== null ? pick(invalidVariants)(combo as Event, r) : combo;
      }
      out.push({ input: combo, unknownActions: policy() });
      out.push({ input: oddButValid(copy(base)), unknownActions: "reject" });
    }
  });
  return out;
}
