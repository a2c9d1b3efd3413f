// /embed — the events list and details for an embedded viewer, with the
// viewer token from the URL fragment (#token=...), which browsers never send
// to a server. No navigation chrome: it lives in someone else's page.
import { useMemo, useState } from "react";
import { ApiClient } from "../api/api-client.js";
import { ApiProvider, useApi } from "../api/api-context.js";
import type { EventDetail } from "../api/types.js";
import { EmptyState } from "../components/EmptyState.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { Loading } from "../components/Loading.js";
import { EventDetailView, EventSummary } from "../events/EventDetailView.js";
import { EventTable } from "../events/EventTable.js";
import { InfiniteScroll } from "../events/InfiniteScroll.js";
import { SearchForm } from "../events/SearchForm.js";
import { type SearchState, toApiQuery } from "../events/search-state.js";
import { useEventSearch } from "../events/use-event-search.js";
import { asEvent } from "../lib/event-view.js";
import { useAsync } from "../lib/use-async.js";

export function readViewerToken(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, "")).get("token");
  return token && /^[\x21-\x7e]{1,512}$/.test(token) ? token : null;
}

export function EmbedPage() {
  const [expired, setExpired] = useState(false);
  const token = useMemo(() => readViewerToken(window.location.hash), []);
  const value = useMemo(
    () =>
      token
        ? { api: new ApiClient({ bearer: token }, () => setExpired(true)), role: "viewer" as const, embedded: true }
        : null,
    [token],
  );
  return (
    <div className="embed">
      <main id="main" className="embed-main">
        {!value ? (
          <EmptyState title="No viewer token">
            This embedded audit log needs a viewer token in its address (#token=…). Ask the product that embeds it.
          </EmptyState>
        ) : expired ? (
          <EmptyState title="This view has expired">Reload the page that embeds it to get a fresh one.</EmptyState>
        ) : (
          <ApiProvider value={value}>
            <EmbeddedEvents />
          </ApiProvider>
        )}
      </main>
    </div>
  );
}

function EmbeddedEvents() {
  const { api } = useApi();
  const [state, setState] = useState<SearchState>({ q: "", facets: {}, range: "" });
  const [openId, setOpenId] = useState<string | null>(null);
  const query = useMemo(() => toApiQuery(state), [state]);
  const search = useEventSearch(api, query, false);

  if (openId) return <EmbeddedDetail id={openId} onBack={() => setOpenId(null)} />;
  return (
    <>
      <h1 className="embed-title">Audit log</h1>
      <SearchForm value={state} error={search.error} onSearch={setState} compact />
      {search.error !== undefined && !(search.error as { code?: string }).code?.startsWith("SEARCH") && (
        <ErrorNotice error={search.error} title="Could not load events" />
      )}
      {!search.loading && search.items.length === 0 && !search.error ? (
        <EmptyState title="No events" />
      ) : (
        <EventTable items={search.items} caption="Audit events, newest first" onOpen={setOpenId} />
      )}
      <InfiniteScroll
        hasMore={search.hasMore}
        loading={search.loading}
        onMore={search.loadMore}
        count={search.items.length}
      />
    </>
  );
}

function EmbeddedDetail({ id, onBack }: { id: string; onBack: () => void }) {
  const { api } = useApi();
  const detail = useAsync(() => api.get<EventDetail>(`/v1/events/${encodeURIComponent(id)}`), [api, id]);
  return (
    <>
      <button type="button" className="btn btn-small btn-ghost" onClick={onBack}>
        ← Back to the list
      </button>
      {detail.loading && <Loading />}
      {detail.error !== undefined && <ErrorNotice error={detail.error} title="Could not load the event" />}
      {detail.data && (
        <>
          <h1 className="embed-title mono">{asEvent(detail.data).action}</h1>
          {asEvent(detail.data).message && <p className="page-subtitle">{asEvent(detail.data).message}</p>}
          <EventSummary detail={detail.data} />
          <EventDetailView detail={detail.data} />
        </>
      )}
    </>
  );
}
