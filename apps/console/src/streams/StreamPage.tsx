// /streams/:id: one stream, its health refreshed every few seconds (lag in
// entries and seconds, delivered, the cursor, the last error), and for
// admins pause or resume, rotate the destination's secret, delete.
import { useState } from "react";
import { Loaded, OutcomeNotice } from "../admin/AdminViews.js";
import { useAdminResource } from "../admin/use-admin-resource.js";
import { useApi } from "../api/api-context.js";
import { roleAtLeast } from "../auth/roles.js";
import { ConfirmButton } from "../components/ConfirmButton.js";
import { Kpi } from "../components/Kpi.js";
import { PageHeader } from "../components/PageHeader.js";
import { SecretOnce } from "../components/SecretOnce.js";
import { Section } from "../components/Section.js";
import { formatNumber, formatShortTime, formatTime } from "../lib/format.js";
import { Link, navigate } from "../router/router.js";
import { describeDestination } from "./describe-destination.js";
import { RotateSecret } from "./RotateSecret.js";
import { deliveredText, lagEntriesText, lagSecondsText, StreamStatusBadge } from "./StreamStatus.js";
import { deleteStream, fetchStream, rotateStreamSecret, setStreamPaused } from "./streams-api.js";
import { usePolling } from "./use-polling.js";

export function StreamPage({ id }: { id: string }) {
  const { api, role } = useApi();
  const admin = roleAtLeast(role, "admin");
  const stream = useAdminResource((api) => fetchStream(api, id));
  const [secret, setSecret] = useState<string | null>(null);
  usePolling(stream.resource.reload);
  const current = stream.resource.data;

  const rotate = async (token?: string) => {
    const answer = await stream.change(
      (api) => rotateStreamSecret(api, id, token),
      (a) =>
        a.secret === null
          ? `The NATS token of ${a.stream.name} was replaced; the stream reconnects with it.`
          : `The signing secret of ${a.stream.name} was replaced; the old one no longer signs.`,
    );
    if (answer?.secret) setSecret(answer.secret);
    return answer !== undefined;
  };
  // Not through change(): its reload would ask for the stream just deleted.
  const remove = async () => {
    try {
      await deleteStream(api, id);
      navigate("/streams");
    } catch (err) {
      stream.fail(err);
    }
  };

  return (
    <>
      <PageHeader
        title={current?.name ?? "Stream"}
        crumbs={<Link to="/streams">Streams</Link>}
        subtitle={<span className="mono">{id}</span>}
        actions={
          admin &&
          current && (
            <div className="button-row">
              <button
                type="button"
                className="btn btn-small"
                disabled={stream.busy}
                onClick={() =>
                  void stream.change(
                    (api) => setStreamPaused(api, id, current.status === "active"),
                    current.status === "active" ? "Paused: nothing is sent until it is resumed." : "Resumed.",
                  )
                }
              >
                {current.status === "active" ? "Pause" : "Resume"}
              </button>
              <RotateSecret stream={current} busy={stream.busy} onRotate={rotate} />
              <ConfirmButton
                label="Delete"
                confirmLabel="Confirm delete"
                subject={current.name}
                disabled={stream.busy}
                onConfirm={() => void remove()}
              />
            </div>
          )
        }
      />
      {secret && current && (
        <SecretOnce title={`New signing secret of ${current.name}.`} value={secret} onDismiss={() => setSecret(null)} />
      )}
      <OutcomeNotice outcome={stream.outcome} failureTitle="Not changed" />
      <Loaded state={stream.resource} what="the stream">
        {(s) => {
          const h = s.health;
          const where = describeDestination(s.destination);
          return (
            <>
              <Section id="stream-health" title="Health">
                <p className="small muted">
                  <StreamStatusBadge stream={s} /> Refreshed every few seconds.
                </p>
                <div className="kpis" data-testid="stream-health">
                  <Kpi label="Lag (entries)" value={lagEntriesText(h)} tone={(h?.lag_entries ?? 0) > 0 && "warn"} />
                  <Kpi label="Lag (time)" value={lagSecondsText(h)} tone={(h?.lag_seconds ?? 0) > 60 && "warn"} />
                  <Kpi label="Delivered" value={deliveredText(h)} />
                  <Kpi
                    label="Last delivered"
                    value={h?.last_delivered_at ? formatShortTime(h.last_delivered_at) : "never"}
                  />
                  <Kpi
                    label="Last error"
                    value={h?.last_error ? formatShortTime(h.last_error_at) : "none"}
                    tone={!!h?.last_error && "bad"}
                  />
                </div>
                {h?.last_error && (
                  <p className="notice notice-bad" role="status">
                    <strong>Last error, {formatTime(h.last_error_at)}:</strong> {h.last_error}. The stream retries after
                    a backoff; the next delivery clears this.
                  </p>
                )}
              </Section>
              <Section id="stream-definition" title="Definition">
                <dl className="dl">
                  <dt>Destination</dt>
                  <dd>
                    {where.type} <span className="mono">{where.where}</span>
                  </dd>
                  <dt>Secret</dt>
                  <dd>{s.has_secret ? "set (never shown again)" : "none"}</dd>
                  <dt>Format</dt>
                  <dd>{s.format}</dd>
                  <dt>Filter</dt>
                  <dd className="mono">{s.filter || "every entry"}</dd>
                  <dt>Personal data</dt>
                  <dd>{s.personal}</dd>
                  <dt>Cursor</dt>
                  <dd>
                    {h ? `entries below ${formatNumber(h.covered)} done` : "—"}
                    {h?.last_sent_index !== null && h?.last_sent_index !== undefined
                      ? `; last sent index ${formatNumber(h.last_sent_index)}`
                      : ""}
                  </dd>
                  <dt>Created</dt>
                  <dd>
                    {formatTime(s.created_at)} by {s.created_by}
                  </dd>
                  <dt>Changed</dt>
                  <dd>
                    {formatTime(s.updated_at)} by {s.updated_by}
                  </dd>
                </dl>
              </Section>
            </>
          );
        }}
      </Loaded>
    </>
  );
}
