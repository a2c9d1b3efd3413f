// /deliveries (auditor reads, admin redrives): the outbox's history, the
// dead-letter list, and each delivery's attempts (docs/notifications.md).
import type { DeliveryDetail, WireDelivery } from "@trailproof/protocol";
import { useState } from "react";
import { Loaded, OutcomeNotice } from "../admin/AdminViews.js";
import { useAdminResource } from "../admin/use-admin-resource.js";
import { useApi } from "../api/api-context.js";
import { roleAtLeast } from "../auth/roles.js";
import { Badge } from "../components/Badge.js";
import { DataTable } from "../components/DataTable.js";
import { EmptyState } from "../components/EmptyState.js";
import { PageHeader } from "../components/PageHeader.js";
import { SelectField } from "../components/SelectField.js";
import { formatTableTime } from "../lib/format.js";

const TONE = { delivered: "ok", pending: "neutral", dead: "bad" } as const;

export function DeliveriesPage() {
  const { role } = useApi();
  const admin = roleAtLeast(role, "admin");
  const [status, setStatus] = useState("");
  return (
    <>
      <PageHeader
        title="Deliveries"
        subtitle="Every notification sent to a channel, its attempts, and the dead letters that ran out of retries."
      />
      <SelectField label="Show" inline value={status} onChange={setStatus}>
        <option value="">All deliveries</option>
        <option value="pending">Pending</option>
        <option value="delivered">Delivered</option>
        <option value="dead">Dead letters</option>
      </SelectField>
      <DeliveryTable key={status} status={status} admin={admin} />
    </>
  );
}

/** The deliveries of one status filter (a new filter mounts a new table, which loads its own list). */
function DeliveryTable({ status, admin }: { status: string; admin: boolean }) {
  const deliveries = useAdminResource((api) =>
    api.get<{ deliveries: WireDelivery[] }>("/v1/deliveries", status ? { status, limit: 200 } : { limit: 200 }),
  );
  const [detail, setDetail] = useState<DeliveryDetail | null>(null);
  const { reload } = deliveries.resource;

  const open = async (d: WireDelivery) => setDetail(await deliveries.api.get<DeliveryDetail>(`/v1/deliveries/${d.id}`));
  const redrive = async (d: WireDelivery) => {
    const answer = await deliveries.change(
      (api) => api.send<DeliveryDetail>("POST", `/v1/deliveries/${d.id}/redrive`),
      `Delivery ${d.id} will be sent again.`,
    );
    if (answer) setDetail(answer);
  };

  return (
    <>
      <button type="button" className="btn btn-small" onClick={reload}>
        Refresh
      </button>
      <OutcomeNotice outcome={deliveries.outcome} failureTitle="Not redriven" />
      <Loaded state={deliveries.resource} what="the deliveries">
        {({ deliveries: list }) =>
          list.length === 0 ? (
            <EmptyState title={status === "dead" ? "No dead letters" : "No deliveries"} />
          ) : (
            <DataTable
              caption="Deliveries, newest first"
              columns={["Delivery", "What", "Channel", "Status", "Attempts", "Last error", "Created", "Actions"]}
            >
              {list.map((d) => (
                <tr key={d.id} data-delivery={d.id}>
                  <td className="mono small">{d.id}</td>
                  <td>{d.kind}</td>
                  <td className="mono small">{d.channel_id}</td>
                  <td>
                    <Badge tone={TONE[d.status]}>{d.status}</Badge>
                  </td>
                  <td>{d.attempts}</td>
                  <td className="small">{d.last_error ?? ""}</td>
                  <td>{formatTableTime(d.created_at)}</td>
                  <td className="row-actions">
                    <button type="button" className="btn btn-small" onClick={() => void open(d)}>
                      Attempts of {d.id}
                    </button>
                    {admin && d.status === "dead" && (
                      <button
                        type="button"
                        className="btn btn-small"
                        disabled={deliveries.busy}
                        onClick={() => void redrive(d)}
                      >
                        Redrive {d.id}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Loaded>
      {detail && (
        <section className="card" aria-labelledby="attempts-title">
          <h2 id="attempts-title" className="card-title">
            Attempts of {detail.delivery.id}
          </h2>
          <ol className="attempts">
            {detail.attempts.map((a) => (
              <li key={a.attempt}>
                {formatTableTime(a.at)}: {a.http_status === null ? "no answer" : `HTTP ${a.http_status}`}
                {a.error ? ` (${a.error})` : ""}, {Math.round(a.duration_ms)} ms
              </li>
            ))}
          </ol>
          {detail.attempts.length === 0 && <p className="muted">Not attempted yet.</p>}
        </section>
      )}
    </>
  );
}
