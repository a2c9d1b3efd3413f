// The service's last scheduled self-check of this tenant's log (issue 12):
// the newest `integrity.check` event, read like any other event, with a
// failure and its findings shown as loudly as a failed "Verify now".
import { useApi } from "../api/api-context.js";
import type { EventPage } from "../api/types.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { Icon } from "../components/Icon.js";
import { Loading } from "../components/Loading.js";
import { asEvent } from "../lib/event-view.js";
import { formatNumber, formatTime } from "../lib/format.js";
import { toSelfCheck } from "../lib/self-check.js";
import { useAsync } from "../lib/use-async.js";
import { Link } from "../router/router.js";

function shown(n: number | undefined): string {
  return n === undefined ? "—" : formatNumber(n);
}

export function SelfCheckCard() {
  const { api } = useApi();
  const last = useAsync(
    () =>
      api
        .get<EventPage>("/v1/events", { action: "integrity.check", order: "desc", limit: 1 })
        .then((page) => (page.events[0] ? toSelfCheck(asEvent(page.events[0])) : null)),
    [api],
  );
  const check = last.data;

  return (
    <section className="card" aria-labelledby="self-check-title" data-testid="self-check">
      <h2 id="self-check-title" className="card-title">
        Self-check
      </h2>
      <p className="muted small">
        The service re-hashes the entries added since its last check up to the newest signed checkpoint, proves a sample
        of older entries in it, and records the result in this log; it runs every 10 minutes by default
        (TRAILPROOF_SELF_CHECK_INTERVAL_MS).
      </p>
      {last.loading && check === undefined ? (
        <Loading label="Loading the last self-check" />
      ) : last.error !== undefined ? (
        <ErrorNotice error={last.error} title="Could not load the last self-check" />
      ) : !check ? (
        <p className="notice" role="status">
          No self-check has run yet.
        </p>
      ) : (
        <>
          {check.passed ? (
            <p className="notice notice-ok self-check-result" role="status">
              <Icon name="check" /> <strong>Passed.</strong> The log matched its signed checkpoint.
            </p>
          ) : (
            <div className="notice notice-bad self-check-result" role="alert">
              <p>
                <Icon name="cross" /> <strong>FAILED.</strong> The log did not match its signed checkpoint; run{" "}
                <code>trailproof verify</code> and see the operations runbook.
              </p>
              {check.failures.length > 0 && (
                <ul aria-label="Self-check failures">
                  {check.failures.map((f) => (
                    <li key={f}>{f}</li>
                  ))}
                </ul>
              )}
            </div>
          )}
          <dl className="dl">
            <dt>Ran</dt>
            <dd data-testid="self-check-ran">{formatTime(check.ranAt)}</dd>
            <dt>Checkpoint size</dt>
            <dd data-testid="self-check-size">{shown(check.checkpointSize)}</dd>
            <dt>New entries hashed</dt>
            <dd data-testid="self-check-new">{shown(check.newEntries)}</dd>
            <dt>Older entries sampled</dt>
            <dd data-testid="self-check-sampled">{shown(check.sampled)}</dd>
          </dl>
          <div className="verify-row">
            <button type="button" className="btn btn-small btn-ghost" onClick={last.reload} disabled={last.loading}>
              Refresh
            </button>
            {check.id && (
              <Link className="btn btn-small btn-ghost" to={`/events/${encodeURIComponent(check.id)}`}>
                The check's event
              </Link>
            )}
          </div>
        </>
      )}
    </section>
  );
}
