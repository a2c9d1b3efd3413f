// The events list: dense rows (time, actor, action and message, target,
// outcome, risk), each opening its detail by link, click or Enter.
import type { EventItem } from "../api/types.js";
import { Badge, OutcomeBadge, RiskBadge } from "../components/Badge.js";
import { DataTable } from "../components/DataTable.js";
import { Icon } from "../components/Icon.js";
import { Withheld } from "../components/Withheld.js";
import { erasureAt, personalText } from "../lib/erased.js";
import { actorIcon, asEvent, eventPath, isWithheld } from "../lib/event-view.js";
import { formatTableTime, formatTime } from "../lib/format.js";
import { Link, navigate } from "../router/router.js";

export interface EventTableProps {
  items: readonly EventItem[];
  caption: string;
  fresh?: ReadonlySet<string>;
  /** Embedded viewer: open in place instead of navigating. */
  onOpen?: (id: string) => void;
}

export function EventTable({ items, caption, fresh, onOpen }: EventTableProps) {
  const open = (id: string) => (onOpen ? onOpen(id) : navigate(eventPath(id)));
  return (
    <DataTable
      className="events-table"
      caption={caption}
      columns={[
        { title: "Time", className: "col-time" },
        { title: "Actor", className: "col-actor" },
        "Action",
        { title: "Target", className: "col-target" },
        { title: "Outcome", className: "col-outcome" },
        { title: "Risk", className: "col-risk" },
      ]}
    >
      {items.map((item) => {
        const e = asEvent(item);
        const id = String(e.id ?? item.index);
        return (
          <tr key={id} className={fresh?.has(id) ? "row-fresh row-link" : "row-link"} onClick={() => open(id)}>
            <td className="col-time nowrap">
              <time dateTime={e.occurred_at} title={formatTime(e.occurred_at)}>
                {formatTableTime(e.occurred_at)}
              </time>
            </td>
            <td className="col-actor">
              <span className="actor">
                <Icon name={actorIcon(e.actor?.type)} size={15} />
                <span className="actor-text">
                  <span className="actor-id">{e.actor?.id ?? "—"}</span>
                  {personalText(e.actor?.name) ? (
                    <span className="muted small">{personalText(e.actor?.name)}</span>
                  ) : erasureAt(item, "/actor/name") ? (
                    <span className="small">
                      <Badge tone="neutral">erased</Badge>
                    </span>
                  ) : isWithheld(item, "/actor/name") ? (
                    <span className="small">
                      <Withheld />
                    </span>
                  ) : null}
                </span>
              </span>
            </td>
            <td className="col-action">
              {onOpen ? (
                <button type="button" className="link-button mono" onClick={() => open(id)}>
                  {e.action}
                </button>
              ) : (
                <Link to={eventPath(id)} className="mono" onClick={(ev) => ev.stopPropagation()}>
                  {e.action}
                </Link>
              )}
              {e.message && <span className="row-message">{e.message}</span>}
            </td>
            <td className="col-target">
              <span className="mono small">
                {e.target?.type}:{e.target?.id}
              </span>
              {e.target?.name && <span className="row-message">{e.target.name}</span>}
            </td>
            <td>
              <OutcomeBadge status={e.outcome?.status} />
            </td>
            <td className="col-risk">
              <RiskBadge risk={e.risk} />
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
