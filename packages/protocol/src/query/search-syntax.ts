// The search syntax (GitHub- and Sentry-like): space-separated `key:value`
// terms AND-ed together, plus bare words and "quoted phrases" as free text,
// e.g. `actor:usr_ada action:app.* risk:high after:2026-01-01 "checkout page"`;
// `-term` or `NOT term` excludes, `OR` between terms and parentheses group,
// e.g. `-action:audit.* (risk:high OR outcome:denied)`.
import { InvalidInputError } from "@trailproof/core";
import { type EventFilter, type EventFilterField, filterValueProblem, parseFilterDate } from "./event-filter.js";
import { conditionProblems, type FilterCondition, type FilterTerm, isFilterTerm } from "./filter-condition.js";
import { excerpt, quoteSearchValue, type SearchTerm, type SearchToken, scanSearchTokens } from "./search-terms.js";

export const MAX_SEARCH_QUERY_LENGTH = 2048;

/** Keys of the syntax and the filter field each sets (target sets two). */
const KEY_FIELDS: Record<string, EventFilterField> = {
  actor: "actorId",
  actor_type: "actorType",
  action: "action",
  kind: "kind",
  category: "category",
  target_type: "targetType",
  target_id: "targetId",
  outcome: "outcome",
  risk: "risk",
  tag: "tag",
  session: "sessionId",
  run: "runId",
  workflow: "workflowId",
  caused_by: "causedBy",
  env: "environment",
  environment: "environment",
  after: "from",
  since: "from",
  before: "to",
  until: "to",
};
const KNOWN_KEYS = [...Object.keys(KEY_FIELDS), "target"].sort().join(", ");

/** The fields one term sets, or a sentence saying why it sets none. */
function termFields(term: SearchTerm & { key: string }): Partial<EventFilter> | string {
  const where = `at column ${term.column}`;
  if (term.key === "target") {
    const colon = term.value.indexOf(":");
    if (colon <= 0 || colon === term.value.length - 1) {
      return `target ${excerpt(term.value)} ${where} must be type:id, e.g. target:page:checkout (or use target_type: or target_id:)`;
    }
    const parts = { targetType: term.value.slice(0, colon), targetId: term.value.slice(colon + 1) };
    for (const [field, value] of Object.entries(parts) as [EventFilterField, string][]) {
      const problem = filterValueProblem(field, value);
      if (problem !== undefined) return `target ${excerpt(term.value)} ${where}: ${excerpt(value)} ${problem}`;
    }
    return parts;
  }
  let field = KEY_FIELDS[term.key] as EventFilterField;
  let value = term.value;
  if (field === "action" && !term.quoted && value.endsWith("*")) {
    field = "actionPrefix";
    value = value.slice(0, -1);
    if (value === "") return `action:* ${where} matches every action; leave it out`;
  }
  if (field === "action" || field === "actionPrefix") {
    const star = term.quoted ? -1 : value.indexOf("*");
    if (star >= 0) return `action ${excerpt(term.value)} ${where}: only a trailing * is supported, e.g. app.*`;
  }
  const problem = filterValueProblem(field, value);
  if (problem !== undefined) return `${term.key} value ${excerpt(term.value)} ${where} ${problem}`;
  if (field === "from" || field === "to") {
    const date = parseFilterDate(value);
    if ("ms" in date) value = new Date(date.ms).toISOString();
  }
  return { [field]: value };
}

/** Groups that one key may set once: action and its prefix form count as one. */
const group = (field: string) => (field === "actionPrefix" ? "action" : field);

/** Parentheses nested deeper than this are refused (the condition's own depth limit is higher). */
const MAX_GROUP_DEPTH = 8;

/** The syntax tree of a query, before its terms are judged. */
type Node = { kind: "term"; term: SearchTerm } | { kind: "not"; node: Node } | { kind: "or" | "and"; nodes: Node[] };

/**
 * Recursive descent over the tokens: OR binds loosest, then AND (written or
 * implied by a space), then NOT and `-`. Structural problems are collected
 * and parsing goes on, so one answer lists them all.
 */
class Parser {
  #i = 0;
  readonly problems: string[] = [];
  readonly #tokens: SearchToken[];

  constructor(tokens: SearchToken[]) {
    this.#tokens = tokens;
  }

  /** The whole query; undefined when it has no terms. */
  parseQuery(): Node | undefined {
    const nodes: Node[] = [];
    for (;;) {
      const node = this.#parseOr(0);
      if (node !== undefined) nodes.push(node);
      const stray = this.#tokens[this.#i];
      if (stray === undefined) break;
      // Only a `)` stops #parseOr at depth 0.
      this.problems.push(`unmatched ) at column ${columnOf(stray)}: quote the value to search for a parenthesis`);
      this.#i += 1;
    }
    return joined("and", nodes);
  }

  #peek(): SearchToken | undefined {
    return this.#tokens[this.#i];
  }

  #parseOr(depth: number): Node | undefined {
    const nodes: Node[] = [];
    const first = this.#parseAnd(depth);
    if (first !== undefined) nodes.push(first);
    for (let t = this.#peek(); t?.type === "or"; t = this.#peek()) {
      this.#i += 1;
      if (nodes.length === 0) this.problems.push(`OR at column ${t.column} has nothing on its left`);
      const next = this.#parseAnd(depth);
      if (next === undefined) this.problems.push(`OR at column ${t.column} has nothing on its right`);
      else nodes.push(next);
    }
    return joined("or", nodes);
  }

  #parseAnd(depth: number): Node | undefined {
    const nodes: Node[] = [];
    for (let t = this.#peek(); t !== undefined && t.type !== "or" && t.type !== "close"; t = this.#peek()) {
      if (t.type === "and") {
        this.#i += 1;
        const next = this.#peek();
        if (nodes.length === 0) this.problems.push(`AND at column ${t.column} has nothing on its left`);
        else if (next === undefined || next.type === "or" || next.type === "close" || next.type === "and") {
          this.problems.push(`AND at column ${t.column} has nothing on its right`);
        }
        continue;
      }
      const node = this.#parseUnary(depth);
      if (node !== undefined) nodes.push(node);
    }
    return joined("and", nodes);
  }

  #parseUnary(depth: number): Node | undefined {
    const t = this.#peek() as SearchToken;
    if (t.type === "not" || t.type === "minus") {
      this.#i += 1;
      const next = this.#peek();
      if (next === undefined || next.type === "or" || next.type === "and" || next.type === "close") {
        this.problems.push(`${t.type === "not" ? "NOT" : "-"} at column ${t.column} negates nothing`);
        return undefined;
      }
      const inner = this.#parseUnary(depth);
      return inner === undefined ? undefined : { kind: "not", node: inner };
    }
    this.#i += 1;
    if (t.type === "term") return { kind: "term", term: t.term };
    // An opening parenthesis: the only token left that starts a unary.
    if (depth + 1 > MAX_GROUP_DEPTH) {
      this.problems.push(`( at column ${t.column} nests groups deeper than ${MAX_GROUP_DEPTH}`);
    }
    const inner = this.#parseOr(depth + 1);
    const close = this.#peek();
    if (close?.type === "close") this.#i += 1;
    else this.problems.push(`unmatched ( at column ${t.column}: close it with )`);
    if (inner === undefined && close?.type === "close") {
      this.problems.push(`empty parentheses at column ${t.column}`);
    }
    return inner;
  }
}

const columnOf = (t: SearchToken) => (t.type === "term" ? t.term.keyColumn : t.column);

/** `nodes` joined by `kind`, nested groups of the same kind spliced in; one node stays itself. */
function joined(kind: "or" | "and", nodes: Node[]): Node | undefined {
  const flat = nodes.flatMap((n) => (n.kind === kind ? n.nodes : [n]));
  if (flat.length <= 1) return flat[0];
  return { kind, nodes: flat };
}

type Condition = FilterCondition<EventFilterField>;

/** The condition of a term, or a problem (pushed) and undefined. */
function termCondition(term: SearchTerm, problems: string[]): Condition | undefined {
  if (term.key === undefined) {
    const text = term.value
      .split(/\s+/u)
      .filter((w) => w !== "")
      .join(" ");
    const problem = filterValueProblem("text", text);
    if (problem !== undefined) {
      problems.push(`free text ${excerpt(term.value)} at column ${term.column} ${problem}`);
      return undefined;
    }
    return { field: "text", value: text };
  }
  if (term.key !== "target" && !Object.hasOwn(KEY_FIELDS, term.key)) {
    problems.push(`unknown key "${term.key}" at column ${term.keyColumn}; known keys: ${KNOWN_KEYS}`);
    return undefined;
  }
  const fields = termFields(term as SearchTerm & { key: string });
  if (typeof fields === "string") {
    problems.push(fields);
    return undefined;
  }
  const terms = (Object.entries(fields) as [EventFilterField, string][]).map(([field, value]) => ({ field, value }));
  return terms.length === 1 ? terms[0] : { and: terms };
}

/** The condition of a node; positive free-text terms of one AND are merged into one text term. */
function nodeCondition(node: Node, problems: string[]): Condition | undefined {
  if (node.kind === "term") return termCondition(node.term, problems);
  if (node.kind === "not") {
    const inner = nodeCondition(node.node, problems);
    return inner === undefined ? undefined : { not: inner };
  }
  // A target term is an AND of its two fields: spliced into an AND, as a group of one kind is.
  const children = node.nodes.flatMap((n) => {
    const c = nodeCondition(n, problems);
    if (c === undefined) return [];
    return node.kind === "and" && "and" in c ? c.and : [c];
  });
  const list = node.kind === "and" ? mergeText(children, problems) : children;
  if (list.length === 0) return undefined;
  if (list.length === 1) return list[0];
  return node.kind === "and" ? { and: list } : { or: list };
}

/** The AND-ed `conditions` with their plain text terms joined into one (their words AND-ed). */
function mergeText(conditions: Condition[], problems: string[]): Condition[] {
  const texts = conditions.filter((c) => "field" in c && c.field === "text") as FilterTerm<EventFilterField>[];
  if (texts.length < 2) return conditions;
  const value = texts.map((t) => t.value).join(" ");
  const problem = filterValueProblem("text", value);
  if (problem !== undefined) problems.push(`free text ${excerpt(value)} ${problem}`);
  return [{ field: "text", value }, ...conditions.filter((c) => !texts.includes(c as FilterTerm<EventFilterField>))];
}

/**
 * The filter `q` (untrusted) describes. Throws SEARCH_QUERY_INVALID listing
 * every problem, each with pointer "/q" and a message naming the column and
 * the offending text. Plain `key:value` terms and words at the top level
 * become the filter's fields; NOT, `-`, OR and parentheses become its
 * `where`. Dates are normalised to UTC ISO strings; free-text words are
 * joined by single spaces.
 */
export function parseSearchQuery(q: string): EventFilter {
  const problems: string[] = [];
  if (q.length > MAX_SEARCH_QUERY_LENGTH) {
    problems.push(`is ${q.length} characters long; at most ${MAX_SEARCH_QUERY_LENGTH}`);
    throw invalid(problems);
  }
  const scanned = scanSearchTokens(q);
  problems.push(...scanned.problems);
  const parser = new Parser(scanned.tokens);
  const root = parser.parseQuery();
  problems.push(...parser.problems);
  const filter: EventFilter = {};
  const words: string[] = [];
  const where: Condition[] = [];
  const setAt = new Map<string, { key: string; column: number }>();
  const top = root === undefined ? [] : root.kind === "and" ? root.nodes : [root];
  for (const node of top) {
    if (node.kind !== "term") {
      const condition = nodeCondition(node, problems);
      if (condition !== undefined) where.push(condition);
      continue;
    }
    const term = node.term;
    if (term.key === undefined) {
      words.push(...term.value.split(/\s+/u).filter((w) => w !== ""));
      continue;
    }
    const condition = termCondition(term, problems);
    if (condition === undefined) continue;
    for (const { field, value } of ("and" in condition
      ? condition.and
      : [condition]) as FilterTerm<EventFilterField>[]) {
      const first = setAt.get(group(field));
      if (first !== undefined) {
        problems.push(
          `duplicate key "${term.key}" at column ${term.keyColumn}: ${first.key} was already given at column ${first.column}`,
        );
        break;
      }
      setAt.set(group(field), { key: term.key, column: term.keyColumn });
      filter[field] = value as never;
    }
  }
  if (words.length > 0) {
    const text = words.join(" ");
    const problem = filterValueProblem("text", text);
    if (problem !== undefined) problems.push(`free text ${excerpt(text)} ${problem}`);
    else filter.text = text;
  }
  if (where.length > 0) {
    filter.where = where.length === 1 ? (where[0] as Condition) : { and: where };
    const shape = conditionProblems(filter.where, "", () => undefined);
    problems.push(...shape.map((p) => `the query's NOT, OR and parentheses ${p.message}`));
  }
  if (filter.from !== undefined && filter.to !== undefined && filter.from >= filter.to) {
    const from = setAt.get("from");
    const to = setAt.get("to");
    problems.push(`${from?.key} at column ${from?.column} must be earlier than ${to?.key} at column ${to?.column}`);
  }
  if (problems.length > 0) throw invalid(problems);
  return filter;
}

function invalid(messages: string[]): InvalidInputError {
  return new InvalidInputError("SEARCH_QUERY_INVALID", `search query is invalid: ${messages.join("; ")}`, {
    problems: messages.map((message) => ({ pointer: "/q", message })),
  });
}

const DAY_MS = 86_400_000;

function formatDate(iso: string): string {
  const parsed = parseFilterDate(iso);
  if (!("ms" in parsed)) return iso;
  return parsed.ms % DAY_MS === 0 ? new Date(parsed.ms).toISOString().slice(0, 10) : new Date(parsed.ms).toISOString();
}

/**
 * The query text for `filter`, for UIs that show or edit a filter as text.
 * Inverse of parseSearchQuery: parseSearchQuery(formatSearchQuery(f)) equals
 * f for every valid filter whose dates are UTC ISO strings and whose text is
 * words separated by single spaces (the forms parseSearchQuery returns).
 */
export function formatSearchQuery(filter: EventFilter): string {
  const parts: string[] = [];
  const put = (key: string, value: string | undefined) => {
    if (value !== undefined) parts.push(`${key}:${quoteSearchValue(value, false)}`);
  };
  put("actor", filter.actorId);
  put("actor_type", filter.actorType);
  put("action", filter.action);
  if (filter.actionPrefix !== undefined) parts.push(`action:${filter.actionPrefix}*`);
  put("kind", filter.kind);
  put("category", filter.category);
  if (filter.targetType !== undefined && filter.targetId !== undefined && !filter.targetType.includes(":")) {
    put("target", `${filter.targetType}:${filter.targetId}`);
  } else {
    put("target_type", filter.targetType);
    put("target_id", filter.targetId);
  }
  put("outcome", filter.outcome);
  put("risk", filter.risk);
  put("tag", filter.tag);
  put("session", filter.sessionId);
  put("run", filter.runId);
  put("workflow", filter.workflowId);
  put("caused_by", filter.causedBy);
  put("env", filter.environment);
  if (filter.from !== undefined) put("after", formatDate(filter.from));
  if (filter.to !== undefined) put("before", formatDate(filter.to));
  for (const word of (filter.text ?? "").split(/\s+/u)) {
    if (word !== "") parts.push(quoteSearchValue(word, true));
  }
  if (filter.where !== undefined) {
    const where = filter.where;
    parts.push(...("and" in where ? where.and : [where]).map((c) => formatCondition(c, "and")));
  }
  return parts.join(" ");
}

/** Keys that write each field in a condition (target's two fields are written apart). */
const FIELD_KEYS: Partial<Record<EventFilterField, string>> = {
  ...Object.fromEntries(
    Object.entries(KEY_FIELDS)
      .reverse()
      .map(([key, field]) => [field, key]),
  ),
  actorId: "actor",
  environment: "env",
  from: "after",
  to: "before",
};

/** `c` in the syntax, inside a `parent` (parenthesised where it would otherwise read differently). */
function formatCondition(c: FilterCondition<EventFilterField>, parent: "and" | "or" | "not"): string {
  if (isFilterTerm(c)) return formatTerm(c);
  if ("not" in c) return `-${formatCondition(c.not, "not")}`;
  const isOr = "or" in c;
  const text = (isOr ? c.or : c.and)
    .map((child) => formatCondition(child, isOr ? "or" : "and"))
    .join(isOr ? " OR " : " ");
  return parent === "not" || isOr !== (parent === "or") ? `(${text})` : text;
}

function formatTerm({ field, value }: FilterTerm<EventFilterField>): string {
  if (field === "text") return quoteSearchValue(value, true);
  if (field === "actionPrefix") return `action:${value}*`;
  const shown = field === "from" || field === "to" ? formatDate(value) : value;
  return `${FIELD_KEYS[field] ?? field}:${quoteSearchValue(shown, false)}`;
}
