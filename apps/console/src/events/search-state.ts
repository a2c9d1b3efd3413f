// The events search as it lives in the URL (so it can be shared, bookmarked
// and saved): the `q` search syntax plus facet parameters named exactly as
// the API's filters, and a client-side time range that becomes `from`/`to`.
// The meta-audit's records are left out unless the search asks for them.
import type { Query } from "../api/api-client.js";
import { META_AUDIT_PARAM, readShowMetaAudit, withoutMetaAudit } from "../lib/meta-audit.js";

export const FACET_PARAMS = [
  "actor_id",
  "action",
  "target_type",
  "target_id",
  "outcome",
  "risk",
  "environment",
] as const;
export type FacetParam = (typeof FACET_PARAMS)[number];

export const RANGES = {
  "": "Any time",
  "1h": "Last hour",
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  custom: "Custom range",
} as const;
export type RangeKey = keyof typeof RANGES;

const RANGE_MS: Record<string, number> = {
  "1h": 3_600_000,
  "24h": 86_400_000,
  "7d": 7 * 86_400_000,
  "30d": 30 * 86_400_000,
};

export interface SearchState {
  q: string;
  facets: Partial<Record<FacetParam, string>>;
  range: RangeKey;
  /** Custom range bounds, ISO instants. */
  from?: string;
  to?: string;
  /** Show the meta-audit's own records (audit.*); left out when absent or false. */
  metaAudit?: boolean;
}

export function readSearchState(params: URLSearchParams): SearchState {
  const facets: SearchState["facets"] = {};
  for (const f of FACET_PARAMS) {
    const v = params.get(f);
    if (v) facets[f] = v;
  }
  const range = params.get("range") ?? "";
  const state: SearchState = { q: params.get("q") ?? "", facets, range: range in RANGES ? (range as RangeKey) : "" };
  const from = params.get("from");
  const to = params.get("to");
  if (from) state.from = from;
  if (to) state.to = to;
  if ((from || to) && state.range === "") state.range = "custom";
  if (readShowMetaAudit(params)) state.metaAudit = true;
  return state;
}

export function writeSearchState(state: SearchState): string {
  const params = new URLSearchParams();
  if (state.q.trim()) params.set("q", state.q.trim());
  for (const f of FACET_PARAMS) {
    const v = state.facets[f]?.trim();
    if (v) params.set(f, v);
  }
  if (state.range && state.range !== "custom") params.set("range", state.range);
  if (state.range === "custom") {
    if (state.from) params.set("from", state.from);
    if (state.to) params.set("to", state.to);
  }
  if (state.metaAudit) params.set(META_AUDIT_PARAM, "1");
  return params.toString();
}

/** The API query for a search; a relative range is resolved against `nowMs`. */
export function toApiQuery(state: SearchState, nowMs = Date.now()): Query {
  const query: Query = { q: state.metaAudit ? state.q.trim() || undefined : withoutMetaAudit(state.q) };
  for (const f of FACET_PARAMS) query[f] = state.facets[f]?.trim() || undefined;
  const span = RANGE_MS[state.range];
  if (span !== undefined) query.from = new Date(nowMs - span).toISOString();
  if (state.range === "custom") {
    query.from = state.from;
    query.to = state.to;
  }
  return query;
}

export function isEmptySearch(state: SearchState): boolean {
  return writeSearchState(state) === "";
}
