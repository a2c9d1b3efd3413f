// One event for people: a summary line, its change, every field and (for
// auditors) its proof. Shared by the console and the embedded viewer.
import { useApi } from "../api/api-context.js";
import type { EventDetail } from "../api/types.js";
import { OutcomeBadge, RiskBadge } from "../components/Badge.js";
import { asEvent } from "../lib/event-view.js";
import { formatNumber, formatTime } from "../lib/format.js";
import { EventFields } from "./EventFields.js";
import { ProofStatus } from "./ProofStatus.js";
import { StateDiff } from "./StateDiff.js";

export function EventSummary({ detail }: { detail: EventDetail }) {
  const e = asEvent(detail);
  return (
    <div className="event-summary">
      <OutcomeBadge status={e.outcome?.status} />
      <RiskBadge risk={e.risk} />
      <span className="muted">
        <time dateTime={e.occurred_at}>{formatTime(e.occurred_at)}</time> · entry {formatNumber(detail.index)}
      </span>
    </div>
  );
}

export function EventDetailView({ detail }: { detail: EventDetail }) {
  const { embedded } = useApi();
  return (
    <div className="event-detail">
      {detail.redacted && (
        <p className="notice notice-info">
          Personal fields are withheld from your role and shown as <em>withheld (personal)</em>.
        </p>
      )}
      <div className="detail-top">
        <StateDiff item={detail} />
        {!embedded && <ProofStatus detail={detail} />}
      </div>
      <EventFields item={detail} />
    </div>
  );
}
