// /automations/runs/:runId — one run's events in order, and its trace.
import { useApi } from "../api/api-context.js";
import type { EventPage } from "../api/types.js";
import { EmptyState } from "../components/EmptyState.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { Loading } from "../components/Loading.js";
import { PageHeader } from "../components/PageHeader.js";
import { Timeline } from "../events/Timeline.js";
import { asEvent } from "../lib/event-view.js";
import { formatDuration } from "../lib/format.js";
import { useAsync } from "../lib/use-async.js";
import { Link } from "../router/router.js";

export function RunPage({ runId }: { runId: string }) {
  const { api } = useApi();
  const events = useAsync(
    () => api.get<EventPage>("/v1/events", { run_id: runId, order: "asc", limit: 500 }),
    [api, runId],
  );
  if (events.loading) return <Loading label="Loading the run" />;
  if (events.error || !events.data) return <ErrorNotice error={events.error} title="Could not load the run" />;
  const items = events.data.events;
  const first = items[0];
  const last = items[items.length - 1];
  const workflow = first ? asEvent(first).automation?.workflow_id : undefined;
  const span =
    first && last
      ? new Date(String(asEvent(last).occurred_at)).getTime() - new Date(String(asEvent(first).occurred_at)).getTime()
      : null;
  const failed = items.filter((i) => asEvent(i).outcome?.status && asEvent(i).outcome?.status !== "success").length;
  return (
    <>
      <PageHeader
        crumbs={
          <ol>
            <li>
              <Link to="/automations">Automations</Link>
            </li>
            <li aria-current="page">Run</li>
          </ol>
        }
        title={<span className="mono">{runId}</span>}
        subtitle={
          workflow
            ? `Workflow ${String(workflow)} · ${items.length} events over ${formatDuration(span)}${failed ? ` · ${failed} not successful` : ""}`
            : undefined
        }
        actions={
          first && (
            <Link className="btn btn-primary" to={`/events/${encodeURIComponent(String(first.event.id))}/trace`}>
              Trace this run
            </Link>
          )
        }
      />
      {items.length === 0 ? (
        <EmptyState title="No events recorded for this run" />
      ) : (
        <section className="card">
          <Timeline items={items} label={`Events of run ${runId}, in order`} />
          {events.data.next_cursor && <p className="muted small">Only the first 500 events are shown.</p>}
        </section>
      )}
    </>
  );
}
