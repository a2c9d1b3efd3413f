// The boolean part of an event filter: what the search syntax's NOT, OR and
// parentheses say beyond the AND of plain fields. A condition is a tree of
// single-field terms; every store evaluates it as an extra WHERE over the
// same columns the plain fields use, so the fields keep driving the indexes.
import type { Problem } from "@trailproof/core";

/** One field compared as the plain field of the same name would compare it. */
export interface FilterTerm<F extends string = string> {
  field: F;
  value: string;
}

/** A term, its negation, or an OR or AND of conditions. */
export type FilterCondition<F extends string = string> =
  | FilterTerm<F>
  | { not: FilterCondition<F> }
  | { or: FilterCondition<F>[] }
  | { and: FilterCondition<F>[] };

/** Terms per condition: each is one more comparison, and on SQLite a text term one lookup per index part. */
export const MAX_CONDITION_TERMS = 32;
/** Nesting of NOT, OR and AND, so evaluation and the SQL built from a condition stay small. */
export const MAX_CONDITION_DEPTH = 12;

export function isFilterTerm<F extends string>(c: FilterCondition<F>): c is FilterTerm<F> {
  return "field" in c;
}

/** Calls `visit` on every term of `c`. */
export function forEachTerm<F extends string>(c: FilterCondition<F>, visit: (term: FilterTerm<F>) => void): void {
  if (isFilterTerm(c)) visit(c);
  else if ("not" in c) forEachTerm(c.not, visit);
  else for (const child of "or" in c ? c.or : c.and) forEachTerm(child, visit);
}

/**
 * Evaluates `c` with `term` deciding each term: true, false, or undefined
 * for "cannot tell" (Kleene's three-valued logic, so a check that is sure
 * of less never claims more).
 */
export function evaluateCondition<F extends string>(
  c: FilterCondition<F>,
  term: (t: FilterTerm<F>) => boolean | undefined,
): boolean | undefined {
  if (isFilterTerm(c)) return term(c);
  if ("not" in c) {
    const inner = evaluateCondition(c.not, term);
    return inner === undefined ? undefined : !inner;
  }
  const isOr = "or" in c;
  let unknown = false;
  for (const child of isOr ? c.or : c.and) {
    const value = evaluateCondition(child, term);
    if (value === undefined) unknown = true;
    else if (value === isOr) return isOr;
  }
  return unknown ? undefined : !isOr;
}

/**
 * Every problem of the shape of `c` (untrusted: it may come from code or a
 * stored filter), with pointers under `pointer`; `termProblem` judges each
 * term's field and value.
 */
export function conditionProblems(
  c: unknown,
  pointer: string,
  termProblem: (field: string, value: string) => string | undefined,
): Problem[] {
  const problems: Problem[] = [];
  let terms = 0;
  const walk = (node: unknown, at: string, depth: number): void => {
    if (depth > MAX_CONDITION_DEPTH) {
      problems.push({ pointer: at, message: `is nested deeper than ${MAX_CONDITION_DEPTH} levels` });
      return;
    }
    if (typeof node !== "object" || node === null || Array.isArray(node)) {
      problems.push({ pointer: at, message: "must be an object: {field, value}, {not}, {or} or {and}" });
      return;
    }
    const keys = Object.keys(node).sort().join(",");
    const n = node as Record<string, unknown>;
    if (keys === "field,value") {
      terms += 1;
      if (typeof n.field !== "string" || typeof n.value !== "string") {
        problems.push({ pointer: at, message: "field and value must be strings" });
        return;
      }
      const problem = termProblem(n.field, n.value);
      if (problem !== undefined) problems.push({ pointer: `${at}/value`, message: problem });
    } else if (keys === "not") {
      walk(n.not, `${at}/not`, depth + 1);
    } else if (keys === "or" || keys === "and") {
      const list = n[keys];
      if (!Array.isArray(list) || list.length === 0) {
        problems.push({ pointer: `${at}/${keys}`, message: "must be a non-empty array of conditions" });
        return;
      }
      list.forEach((child, i) => {
        walk(child, `${at}/${keys}/${i}`, depth + 1);
      });
    } else {
      problems.push({ pointer: at, message: "must be exactly one of {field, value}, {not}, {or} or {and}" });
    }
  };
  walk(c, pointer, 1);
  if (terms > MAX_CONDITION_TERMS) {
    problems.push({ pointer, message: `has ${terms} terms; at most ${MAX_CONDITION_TERMS}` });
  }
  return problems;
}
