// The meta-audit's own records: the service appends an `audit.*` event for
// every read (searches, exports, proofs, dashboards), so left in they bury
// what people and systems did under what readers looked at. Lists and charts
// leave them out by default with a `-action:audit.*` search term, and show
// them again on request; the choice is kept in the URL (`meta_audit=1`).

export const META_AUDIT_PARAM = "meta_audit";

/** The search term that leaves the meta-audit out (docs/api.md, search syntax). */
export const HIDE_META_AUDIT = "-action:audit.*";

/** True when the URL asks for the meta-audit to be shown. */
export function readShowMetaAudit(params: URLSearchParams): boolean {
  return params.get(META_AUDIT_PARAM) === "1";
}

/**
 * `q` with the meta-audit left out. A query with a top-level OR is put in
 * parentheses first, or the exclusion would bind to its last alternative
 * only (AND binds tighter than OR); other queries keep their text, and the
 * columns a SEARCH_QUERY_INVALID answer names, as typed.
 */
export function withoutMetaAudit(q: string | undefined): string {
  const typed = (q ?? "").trim();
  if (typed === "") return HIDE_META_AUDIT;
  return /(^|[\s)])OR([\s(]|$)/.test(typed) ? `(${typed}) ${HIDE_META_AUDIT}` : `${typed} ${HIDE_META_AUDIT}`;
}
