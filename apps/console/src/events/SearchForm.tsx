// The search box (the API's search syntax) and facet filters as one form:
// Enter anywhere submits; a select applies at once. The server's
// SEARCH_QUERY_INVALID problems (naming the column) show under the box.
import { type FormEvent, useEffect, useId, useState } from "react";
import { ApiError } from "../api/api-error.js";
import { Icon } from "../components/Icon.js";
import { SelectField } from "../components/SelectField.js";
import { fromLocalInput, toLocalInput } from "../lib/format.js";
import { type FacetParam, RANGES, type RangeKey, type SearchState } from "./search-state.js";

const OUTCOMES = ["success", "failure", "denied"];
const RISKS = ["low", "medium", "high", "critical"];

const TEXT_FACETS: { param: FacetParam; label: string; placeholder: string }[] = [
  { param: "actor_id", label: "Actor", placeholder: "usr_ada" },
  { param: "action", label: "Action", placeholder: "app.* or record.update" },
  { param: "target_type", label: "Target type", placeholder: "page" },
  { param: "target_id", label: "Target id", placeholder: "page_12" },
  { param: "environment", label: "Environment", placeholder: "production" },
];

export function SearchForm({
  value,
  error,
  onSearch,
  compact = false,
}: {
  value: SearchState;
  error: unknown;
  onSearch: (next: SearchState) => void;
  compact?: boolean;
}) {
  const [draft, setDraft] = useState<SearchState>(value);
  const errorId = useId();
  const facetsId = useId();
  useEffect(() => setDraft(value), [value]);

  const queryProblems =
    error instanceof ApiError && (error.code === "SEARCH_QUERY_INVALID" || error.code === "REQUEST_INVALID")
      ? (error.problem?.problems ?? [{ pointer: "", message: error.message }])
      : [];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSearch(draft);
  };
  const setFacet = (param: FacetParam, v: string) => setDraft((d) => ({ ...d, facets: { ...d.facets, [param]: v } }));
  const apply = (next: SearchState) => {
    setDraft(next);
    onSearch(next);
  };

  return (
    <search>
      <form className="search-form" onSubmit={submit}>
        <div className="search-row">
          <label htmlFor="event-search" className="sr-only">
            Search events
          </label>
          <div className="search-input-wrap">
            <Icon name="search" size={16} />
            <input
              id="event-search"
              className="search-input"
              type="search"
              value={draft.q}
              onChange={(e) => setDraft({ ...draft, q: e.target.value })}
              placeholder='actor:usr_ada action:app.* risk:high after:2026-01-01 "checkout page"'
              aria-invalid={queryProblems.length > 0}
              aria-describedby={queryProblems.length > 0 ? errorId : undefined}
              autoComplete="off"
              spellCheck={false}
            />
          </div>
          <button type="submit" className="btn btn-primary">
            Search
          </button>
        </div>
        {queryProblems.length > 0 && (
          <div id={errorId} className="field-error" role="alert">
            {queryProblems.map((p) => (
              <p key={`${p.pointer}:${p.message}`}>
                {p.pointer && p.pointer !== "/q" && <code>{p.pointer.slice(1)}</code>} {p.message}
              </p>
            ))}
          </div>
        )}
        {!compact && (
          <fieldset className="facets" id={facetsId}>
            <legend className="sr-only">Filters</legend>
            {TEXT_FACETS.map((f) => (
              <label key={f.param} className="field">
                <span className="field-label">{f.label}</span>
                <input
                  value={draft.facets[f.param] ?? ""}
                  onChange={(e) => setFacet(f.param, e.target.value)}
                  placeholder={f.placeholder}
                  autoComplete="off"
                />
              </label>
            ))}
            <SelectField
              label="Outcome"
              value={draft.facets.outcome ?? ""}
              onChange={(v) => apply({ ...draft, facets: { ...draft.facets, outcome: v } })}
            >
              <option value="">Any</option>
              {OUTCOMES.map((o) => (
                <option key={o}>{o}</option>
              ))}
            </SelectField>
            <SelectField
              label="Risk"
              value={draft.facets.risk ?? ""}
              onChange={(v) => apply({ ...draft, facets: { ...draft.facets, risk: v } })}
            >
              <option value="">Any</option>
              {RISKS.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </SelectField>
            <SelectField
              label="Time range"
              value={draft.range}
              onChange={(v) => {
                const range = v as RangeKey;
                if (range === "custom") setDraft({ ...draft, range });
                else apply({ ...draft, range });
              }}
            >
              {Object.entries(RANGES).map(([k, label]) => (
                <option key={k} value={k}>
                  {label}
                </option>
              ))}
            </SelectField>
            {draft.range === "custom" && (
              <>
                <label className="field">
                  <span className="field-label">From</span>
                  <input
                    type="datetime-local"
                    value={draft.from ? toLocalInput(draft.from) : ""}
                    onChange={(e) => setDraft({ ...draft, from: fromLocalInput(e.target.value) })}
                  />
                </label>
                <label className="field">
                  <span className="field-label">To</span>
                  <input
                    type="datetime-local"
                    value={draft.to ? toLocalInput(draft.to) : ""}
                    onChange={(e) => setDraft({ ...draft, to: fromLocalInput(e.target.value) })}
                  />
                </label>
              </>
            )}
            <div className="facet-actions">
              <button type="submit" className="btn">
                Apply filters
              </button>
              <button type="button" className="btn btn-ghost" onClick={() => apply({ q: "", facets: {}, range: "" })}>
                Clear
              </button>
            </div>
          </fieldset>
        )}
        <details className="syntax-help">
          <summary>Search syntax</summary>
          <p>
            Keys: <code>actor</code> <code>actor_type</code> <code>action</code> (<code>app.*</code> for a prefix){" "}
            <code>kind</code> <code>category</code> <code>target</code> (<code>type:id</code>) <code>target_type</code>{" "}
            <code>target_id</code> <code>outcome</code> <code>risk</code> <code>tag</code> <code>session</code>{" "}
            <code>run</code> <code>workflow</code> <code>caused_by</code> <code>env</code> <code>after</code>{" "}
            <code>before</code>. Bare words and "quoted phrases" search the message.
          </p>
          <p>
            Example: <code>actor:usr_ada action:app.* risk:high after:2026-01-01 "checkout page"</code>
          </p>
        </details>
      </form>
    </search>
  );
}
