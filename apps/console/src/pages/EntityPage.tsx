// /entities/:type/:id — one target's changes over time with their diffs,
// and its state at a chosen moment, rebuilt by the server from the changes.
import { type FormEvent, useState } from "react";
import { useApi } from "../api/api-context.js";
import type { EventItem, TargetHistory } from "../api/types.js";
import { OutcomeBadge } from "../components/Badge.js";
import { EmptyState } from "../components/EmptyState.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { Loading } from "../components/Loading.js";
import { PageHeader } from "../components/PageHeader.js";
import { Section } from "../components/Section.js";
import { JsonBlock } from "../events/JsonBlock.js";
import { PatchList } from "../events/StateDiff.js";
import { asEvent, eventPath } from "../lib/event-view.js";
import { formatTime, fromLocalInput, toLocalInput } from "../lib/format.js";
import { useAsync } from "../lib/use-async.js";
import { Link } from "../router/router.js";

export function EntityPage({ type, id }: { type: string; id: string }) {
  const { api } = useApi();
  const base = `/v1/targets/${encodeURIComponent(type)}/${encodeURIComponent(id)}/history`;
  const [extra, setExtra] = useState<{ events: EventItem[]; cursor: string | null } | null>(null);
  const [moreError, setMoreError] = useState<unknown>(undefined);
  const history = useAsync(async () => {
    setExtra(null);
    return api.get<TargetHistory>(base, { limit: 50 });
  }, [api, base]);

  if (history.loading) return <Loading label="Loading the history" />;
  if (history.error || !history.data) return <ErrorNotice error={history.error} title="Could not load the history" />;
  const events = [...history.data.events, ...(extra?.events ?? [])];
  const cursor = extra ? extra.cursor : history.data.next_cursor;

  const loadMore = async () => {
    if (!cursor) return;
    try {
      const page = await api.get<TargetHistory>(base, { limit: 50, cursor });
      setExtra({ events: [...(extra?.events ?? []), ...page.events], cursor: page.next_cursor });
    } catch (err) {
      setMoreError(err);
    }
  };

  return (
    <>
      <PageHeader
        crumbs={
          <ol>
            <li>
              <Link to="/events">Events</Link>
            </li>
            <li aria-current="page">Entity</li>
          </ol>
        }
        title={
          <span className="mono">
            {type}:{id}
          </span>
        }
        subtitle="Every recorded change to this entity, newest first, and its state at any moment."
        actions={
          <Link
            className="btn"
            to={`/events?target_type=${encodeURIComponent(type)}&target_id=${encodeURIComponent(id)}`}
          >
            All events on it
          </Link>
        }
      />
      <StateAt base={base} />
      <Section id="history-title" title="History">
        {events.length === 0 ? (
          <EmptyState title="No recorded changes">Nothing in the log targets this entity.</EmptyState>
        ) : (
          <ol className="history">
            {events.map((item) => (
              <HistoryEntry key={String(item.event.id ?? item.index)} item={item} />
            ))}
          </ol>
        )}
        {moreError !== undefined && <ErrorNotice error={moreError} />}
        {cursor && (
          <button type="button" className="btn" onClick={() => void loadMore()}>
            Load older changes
          </button>
        )}
      </Section>
    </>
  );
}

function HistoryEntry({ item }: { item: EventItem }) {
  const e = asEvent(item);
  const id = String(e.id ?? item.index);
  return (
    <li className="card history-entry">
      <div className="timeline-head">
        <span>
          <Link to={eventPath(id)} className="mono">
            {e.action}
          </Link>{" "}
          <span className="muted">by</span> <span className="mono small">{e.actor?.id}</span>{" "}
          <OutcomeBadge status={e.outcome?.status} />
        </span>
        <time className="muted small" dateTime={e.occurred_at}>
          {formatTime(e.occurred_at)}
        </time>
      </div>
      {e.message && <p className="timeline-message">{e.message}</p>}
      {e.change?.patch && <PatchList patch={e.change.patch} />}
    </li>
  );
}

function StateAt({ base }: { base: string }) {
  const { api } = useApi();
  const [at, setAt] = useState(() => toLocalInput(new Date().toISOString()));
  const [result, setResult] = useState<TargetHistory["state_at"] | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const iso = fromLocalInput(at);
    if (!iso) return;
    setBusy(true);
    setError(undefined);
    try {
      const h = await api.get<TargetHistory>(base, { at: iso, limit: 1 });
      setResult(h.state_at);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="state-title">
      <h2 id="state-title" className="card-title">
        State at a moment
      </h2>
      <form className="inline-form" onSubmit={(e) => void submit(e)}>
        <label className="field field-inline">
          <span className="field-label">State at</span>
          <input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} required />
        </label>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Show state
        </button>
      </form>
      {error !== undefined && <ErrorNotice error={error} />}
      {result && (
        <div className="state-result">
          <p className="small">
            As of {formatTime(result.at)}:{" "}
            {result.as_of ? (
              <>
                last changed by <Link to={eventPath(result.as_of.event_id)}>{result.as_of.event_id}</Link> at{" "}
                {formatTime(result.as_of.occurred_at)}, rebuilt from {result.applied_events} changes.
              </>
            ) : (
              "no change had been recorded yet."
            )}
          </p>
          {result.gaps.length > 0 && (
            <p className="notice notice-warn">
              {result.gaps.length} gap{result.gaps.length === 1 ? "" : "s"} in the recorded states: one change's before
              did not match the previous after, so the state may be incomplete.
            </p>
          )}
          <JsonBlock value={result.state ?? null} label="Reconstructed state" />
        </div>
      )}
    </section>
  );
}
