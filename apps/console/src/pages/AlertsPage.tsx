// /alerts — alerts by status (open, acknowledged, resolved), optionally of
// one rule (?rule=); auditors read them, admins acknowledge and resolve
// with a note, each step logged.
import { useState } from "react";
import { AlertTable } from "../alerts/AlertTable.js";
import { type AlertStatus, acknowledgeAlert, listAlerts, resolveAlert } from "../api/alerts-api.js";
import { useApi } from "../api/api-context.js";
import { roleAtLeast } from "../auth/roles.js";
import { EmptyState } from "../components/EmptyState.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { Loading } from "../components/Loading.js";
import { PageHeader } from "../components/PageHeader.js";
import { SelectField } from "../components/SelectField.js";
import { useAsync } from "../lib/use-async.js";
import { navigate, useLocation } from "../router/router.js";

const STATUSES: AlertStatus[] = ["open", "acknowledged", "resolved"];

export function AlertsPage() {
  const { api, role } = useApi();
  const { search } = useLocation();
  const status = (STATUSES as string[]).includes(search.get("status") ?? "")
    ? (search.get("status") as AlertStatus)
    : "open";
  const rule = search.get("rule") ?? "";
  const alerts = useAsync(
    () => listAlerts(api, { status, ...(rule === "" ? {} : { rule }), limit: 200 }),
    [api, status, rule],
  );
  const [actionError, setActionError] = useState<unknown>(undefined);
  const act = async (step: () => Promise<unknown>) => {
    setActionError(undefined);
    try {
      await step();
      alerts.reload();
    } catch (err) {
      setActionError(err);
    }
  };
  const show = (next: { status?: string; rule?: string }) => {
    const params = new URLSearchParams({
      status: next.status ?? status,
      ...((next.rule ?? rule) ? { rule: next.rule ?? rule } : {}),
    });
    navigate(`/alerts?${params.toString()}`);
  };

  return (
    <>
      <PageHeader
        title="Alerts"
        subtitle="What the rules raised, who acknowledged it, and how it was resolved."
        actions={
          <SelectField inline label="Status" value={status} onChange={(v) => show({ status: v })}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </SelectField>
        }
      />
      {rule !== "" && (
        <p>
          Alerts of rule <span className="mono">{rule}</span>{" "}
          <button type="button" className="btn btn-small btn-ghost" onClick={() => show({ rule: "" })}>
            Show every rule
          </button>
        </p>
      )}
      {actionError !== undefined && <ErrorNotice error={actionError} title="Could not change the alert" />}
      {alerts.loading && <Loading label="Loading alerts" />}
      {alerts.error !== undefined && <ErrorNotice error={alerts.error} title="Could not load alerts" />}
      {alerts.data &&
        (alerts.data.length === 0 ? (
          <EmptyState title={`No ${status} alerts`} />
        ) : (
          <AlertTable
            alerts={alerts.data}
            canAct={roleAtLeast(role, "admin")}
            onAcknowledge={(id) => act(() => acknowledgeAlert(api, id))}
            onResolve={(id, note) => act(() => resolveAlert(api, id, note))}
          />
        ))}
    </>
  );
}
