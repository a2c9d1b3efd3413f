// /events/:id — who did what to which target, the change, and its proof.
import { useApi } from "../api/api-context.js";
import type { EventDetail } from "../api/types.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { Loading } from "../components/Loading.js";
import { PageHeader } from "../components/PageHeader.js";
import { EventDetailView, EventSummary } from "../events/EventDetailView.js";
import { asEvent, entityPath } from "../lib/event-view.js";
import { useAsync } from "../lib/use-async.js";
import { Link } from "../router/router.js";

export function EventDetailPage({ id }: { id: string }) {
  const { api } = useApi();
  const detail = useAsync(() => api.get<EventDetail>(`/v1/events/${encodeURIComponent(id)}`), [api, id]);
  if (detail.loading) return <Loading label="Loading the event" />;
  if (detail.error || !detail.data) return <ErrorNotice error={detail.error} title="Could not load the event" />;
  const d = detail.data;
  const e = asEvent(d);
  const hasTrace = e.automation !== undefined || e.actor?.type === "automation";
  return (
    <>
      <PageHeader
        crumbs={
          <ol>
            <li>
              <Link to="/events">Events</Link>
            </li>
            <li aria-current="page" className="mono">
              {id}
            </li>
          </ol>
        }
        title={<span className="mono">{e.action}</span>}
        subtitle={e.message}
        actions={
          <>
            <Link className={hasTrace ? "btn btn-primary" : "btn"} to={`/events/${encodeURIComponent(id)}/trace`}>
              View trace
            </Link>
            {e.target?.type && e.target.id && (
              <Link className="btn" to={entityPath(e.target.type, e.target.id)}>
                Target history
              </Link>
            )}
          </>
        }
      />
      <EventSummary detail={d} />
      <EventDetailView detail={d} />
    </>
  );
}
