// A vertical timeline of events: each step says what it is (a person, a
// workflow run, a step, a changed record), what was done to which target,
// and links to the event.
import { useApi } from "../api/api-context.js";
import type { AuditEvent, EventItem } from "../api/types.js";
import { OutcomeBadge } from "../components/Badge.js";
import { Icon } from "../components/Icon.js";
import { asEvent, eventPath } from "../lib/event-view.js";
import { formatTime } from "../lib/format.js";
import { Link } from "../router/router.js";

/** What a step is; `id` (a step's name) is data and is shown in its own case. */
export function stepKind(e: AuditEvent): { label: string; id?: string; icon: string } {
  const step = typeof e.automation?.step === "string" ? e.automation.step : undefined;
  if (e.action?.startsWith("workflow.run")) return { label: "Workflow run", icon: "automation" };
  if (e.change && e.actor?.type !== "user")
    return step ? { label: "Step", id: step, icon: "record" } : { label: "Changed record", icon: "record" };
  if (step) return { label: "Step", id: step, icon: "automation" };
  if (e.actor?.type === "user") return { label: "Person", icon: "person" };
  if (e.actor?.type === "automation") return { label: "Automation", icon: "automation" };
  return { label: "System", icon: "system" };
}

export function Timeline({
  items,
  currentId,
  label,
}: {
  items: readonly EventItem[];
  currentId?: string;
  label: string;
}) {
  const { embedded } = useApi();
  return (
    <ol className="timeline" aria-label={label}>
      {items.map((item) => {
        const e = asEvent(item);
        const id = String(e.id ?? item.index);
        const kind = stepKind(e);
        const current = id === currentId;
        return (
          <li
            key={id}
            className={current ? "timeline-item current" : "timeline-item"}
            aria-current={current || undefined}
          >
            <span className="timeline-dot" aria-hidden="true">
              <Icon name={kind.icon} size={14} />
            </span>
            <div className="timeline-body">
              <div className="timeline-head">
                <span className="timeline-kind">
                  {kind.label}
                  {kind.id !== undefined && (
                    <>
                      {" "}
                      <span className="id">{kind.id}</span>
                    </>
                  )}
                </span>
                <time className="muted small" dateTime={e.occurred_at}>
                  {formatTime(e.occurred_at)}
                </time>
              </div>
              <div className="timeline-main">
                {embedded ? (
                  <span className="mono">{e.action}</span>
                ) : (
                  <Link to={eventPath(id)} className="mono">
                    {e.action}
                  </Link>
                )}{" "}
                <span className="muted">by</span> <span className="mono small">{e.actor?.id}</span>{" "}
                <span className="muted">on</span>{" "}
                <span className="mono small">
                  {e.target?.type}:{e.target?.id}
                </span>{" "}
                {e.outcome?.status && e.outcome.status !== "success" && <OutcomeBadge status={e.outcome.status} />}
              </div>
              {e.message && <p className="timeline-message">{e.message}</p>}
              {current && <span className="sr-only">(this event)</span>}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
