// /events/:id/trace — what set an event in motion (root cause first), the
// event, what it set in motion, and every event of its automation run.
import { useApi } from "../api/api-context.js";
import type { Trace } from "../api/types.js";
import { EmptyState } from "../components/EmptyState.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { Loading } from "../components/Loading.js";
import { PageHeader } from "../components/PageHeader.js";
import { Timeline } from "../events/Timeline.js";
import { asEvent, eventPath } from "../lib/event-view.js";
import { useAsync } from "../lib/use-async.js";
import { Link } from "../router/router.js";

export function TracePage({ id }: { id: string }) {
  const { api } = useApi();
  const trace = useAsync(() => api.get<Trace>(`/v1/events/${encodeURIComponent(id)}/trace`), [api, id]);
  if (trace.loading) return <Loading label="Tracing causes" />;
  if (trace.error || !trace.data) return <ErrorNotice error={trace.error} title="Could not load the trace" />;
  const t = trace.data;
  const chain = [...t.ancestors, t.event, ...t.descendants];
  const runId = asEvent(t.event).automation?.run_id;
  return (
    <>
      <PageHeader
        crumbs={
          <ol>
            <li>
              <Link to="/events">Events</Link>
            </li>
            <li>
              <Link to={eventPath(id)} className="mono">
                {id}
              </Link>
            </li>
            <li aria-current="page">Trace</li>
          </ol>
        }
        title="Trace"
        subtitle={`What caused ${asEvent(t.event).action ?? "this event"}, and what it caused in turn.`}
      />
      {t.truncated && <p className="notice notice-warn">This trace is long; only its first 500 events are shown.</p>}
      <div className="trace-grid">
        <section className="card" aria-labelledby="chain-title">
          <h2 id="chain-title" className="card-title">
            Causation
          </h2>
          {t.unresolved_cause && (
            <p className="notice notice-info">
              Started by <span className="mono">{t.unresolved_cause}</span>, which is not an event in this log.
            </p>
          )}
          {t.ancestors.length === 0 && !t.unresolved_cause && (
            <p className="muted small">Nothing recorded caused this event: it is where the chain starts.</p>
          )}
          <Timeline items={chain} currentId={id} label="Causation chain, root cause first" />
        </section>
        <section className="card" aria-labelledby="run-title">
          <h2 id="run-title" className="card-title">
            {typeof runId === "string" ? (
              <>
                Run{" "}
                <Link to={`/automations/runs/${encodeURIComponent(runId)}`} className="id">
                  {runId}
                </Link>
              </>
            ) : (
              "Automation run"
            )}
          </h2>
          {t.run.length === 0 ? (
            <EmptyState title="Not part of an automation run" />
          ) : (
            <Timeline items={t.run} currentId={id} label="Every event of this run" />
          )}
        </section>
      </div>
    </>
  );
}
