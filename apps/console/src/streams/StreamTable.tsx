// The Streams list: where each goes (never a secret), what it sends, its
// status and health; admins pause, resume or delete (delete asks first).
import type { WireStream } from "@trailproof/protocol";
import { ConfirmButton } from "../components/ConfirmButton.js";
import { DataTable } from "../components/DataTable.js";
import { formatTableTime } from "../lib/format.js";
import { Link } from "../router/router.js";
import { describeDestination } from "./describe-destination.js";
import { deliveredText, lagEntriesText, lagSecondsText, StreamStatusBadge } from "./StreamStatus.js";

export function StreamTable({
  streams,
  admin,
  busy,
  onPause,
  onDelete,
}: {
  streams: readonly WireStream[];
  admin: boolean;
  busy: boolean;
  onPause: (s: WireStream, paused: boolean) => void;
  onDelete: (s: WireStream) => void;
}) {
  return (
    <DataTable
      caption="Streams, oldest first, with their health"
      columns={[
        "Name",
        "Destination",
        "Sends",
        "Status",
        { title: "Lag", className: "num" },
        { title: "Delivered", className: "num" },
        "Last error",
        admin && "Actions",
      ]}
    >
      {streams.map((s) => {
        const where = describeDestination(s.destination);
        const h = s.health;
        return (
          <tr key={s.id} data-stream={s.id}>
            <td>
              <Link to={`/streams/${encodeURIComponent(s.id)}`}>{s.name}</Link>
              <div className="small muted mono">{s.id}</div>
            </td>
            <td>
              {where.type}
              <div className="small mono">{where.where}</div>
            </td>
            <td>
              {s.format}, personal data: {s.personal}
              <div className="mono small">{s.filter || <span className="muted">every entry</span>}</div>
            </td>
            <td>
              <StreamStatusBadge stream={s} />
            </td>
            <td className="num">
              <span data-health="lag-entries" title="entries not sent or passed over yet">
                {lagEntriesText(h)}
              </span>
              <div className="small muted" data-health="lag-seconds" title="how long the oldest waiting entry waits">
                {lagSecondsText(h)}
              </div>
            </td>
            <td className="num" data-health="delivered">
              {deliveredText(h)}
            </td>
            <td className="small" data-health="last-error">
              {h?.last_error ? (
                <>
                  {h.last_error}
                  <div className="muted">{formatTableTime(h.last_error_at)}</div>
                </>
              ) : (
                <span className="muted">none</span>
              )}
            </td>
            {admin && (
              <td className="row-actions">
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={busy}
                  onClick={() => onPause(s, s.status === "active")}
                >
                  {s.status === "active" ? "Pause" : "Resume"} {s.name}
                </button>
                <ConfirmButton
                  label="Delete"
                  confirmLabel="Confirm delete"
                  subject={s.name}
                  disabled={busy}
                  onConfirm={() => onDelete(s)}
                />
              </td>
            )}
          </tr>
        );
      })}
    </DataTable>
  );
}
