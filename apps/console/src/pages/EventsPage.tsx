// Events: search (syntax and facets), live tail, infinite scrolling, saved
// searches and export. The search lives in the URL, the choice to show the
// meta-audit's own records (hidden by default) included.
import { useMemo, useState } from "react";
import { useApi } from "../api/api-context.js";
import { EmptyState } from "../components/EmptyState.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { MetaAuditSwitch } from "../components/MetaAuditSwitch.js";
import { PageHeader } from "../components/PageHeader.js";
import { EventTable } from "../events/EventTable.js";
import { ExportMenu } from "../events/ExportMenu.js";
import { InfiniteScroll } from "../events/InfiniteScroll.js";
import { LiveTailToggle } from "../events/LiveTailToggle.js";
import { SavedSearches } from "../events/SavedSearches.js";
import { SearchForm } from "../events/SearchForm.js";
import { readSearchState, type SearchState, toApiQuery, writeSearchState } from "../events/search-state.js";
import { useEventSearch } from "../events/use-event-search.js";
import { navigate, useLocation } from "../router/router.js";

export function EventsPage() {
  const { api } = useApi();
  const { href } = useLocation();
  const [live, setLive] = useState(false);
  const qs = href.includes("?") ? href.slice(href.indexOf("?") + 1) : "";
  const state = useMemo(() => readSearchState(new URLSearchParams(qs)), [qs]);
  // A relative range is resolved when the search is made, not on every render.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `qs` stands for `state`
  const query = useMemo(() => toApiQuery(state), [qs]);
  const search = useEventSearch(api, query, live);

  const go = (next: SearchState | string) => {
    const s = typeof next === "string" ? next : writeSearchState(next);
    navigate(s ? `/events?${s}` : "/events");
  };
  const queryProblem = search.error !== undefined && isQueryProblem(search.error);

  return (
    <>
      <PageHeader
        title="Events"
        subtitle="Every recorded action in this tenant, newest first. Nothing here can be edited or deleted."
        actions={
          <>
            <MetaAuditSwitch
              shown={state.metaAudit === true}
              onChange={(shown) => go({ ...state, metaAudit: shown })}
            />
            <LiveTailToggle live={live} onChange={setLive} />
            <ExportMenu items={search.items} query={query} />
          </>
        }
      />
      <SearchForm value={state} error={search.error} onSearch={go} />
      <SavedSearches current={qs} onPick={go} />
      {search.error !== undefined && !queryProblem && <ErrorNotice error={search.error} title="Search failed" />}
      {!search.loading && !search.error && search.items.length === 0 ? (
        <EmptyState title="No events match">
          Try a wider time range or fewer filters
          {state.metaAudit ? "" : ", or show the meta-audit's records of reads (audit.*), which are hidden"}.
        </EmptyState>
      ) : (
        search.items.length > 0 && (
          <EventTable items={search.items} fresh={search.fresh} caption="Search results, newest first" />
        )
      )}
      {!queryProblem && (
        <InfiniteScroll
          hasMore={search.hasMore}
          loading={search.loading}
          onMore={search.loadMore}
          count={search.items.length}
        />
      )}
    </>
  );
}

function isQueryProblem(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === "SEARCH_QUERY_INVALID" || code === "REQUEST_INVALID";
}
