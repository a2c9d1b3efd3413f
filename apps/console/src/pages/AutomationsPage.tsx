// /automations — every workflow's health and its recent runs.
import { useState } from "react";
import { useApi } from "../api/api-context.js";
import type { Automations } from "../api/types.js";
import { RunTable } from "../automations/RunTable.js";
import { WorkflowTable } from "../automations/WorkflowTable.js";
import { EmptyState } from "../components/EmptyState.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { Kpi } from "../components/Kpi.js";
import { Loading } from "../components/Loading.js";
import { PageHeader } from "../components/PageHeader.js";
import { SelectField } from "../components/SelectField.js";
import { formatNumber } from "../lib/format.js";
import { useAsync } from "../lib/use-async.js";

export function AutomationsPage() {
  const { api } = useApi();
  const [days, setDays] = useState(7);
  const [workflow, setWorkflow] = useState("");
  const data = useAsync(() => api.get<Automations>("/v1/automations", { days }), [api, days]);
  const runs = (data.data?.runs ?? []).filter((r) => !workflow || r.workflow_id === workflow);
  const totals = (data.data?.workflows ?? []).reduce(
    (acc, w) => ({ runs: acc.runs + w.runs, failed: acc.failed + w.failed, missed: acc.missed + w.missed_runs }),
    { runs: 0, failed: 0, missed: 0 },
  );

  return (
    <>
      <PageHeader
        title="Automations"
        subtitle="Workflows that change your data on their own: how often they run, fail, or fail to run."
        actions={
          <SelectField inline label="Period" value={days} onChange={(v) => setDays(Number(v))}>
            <option value={1}>Last 24 hours</option>
            <option value={7}>Last 7 days</option>
            <option value={30}>Last 30 days</option>
          </SelectField>
        }
      />
      {data.loading && <Loading label="Loading automations" />}
      {data.error !== undefined && <ErrorNotice error={data.error} title="Could not load automations" />}
      {data.data && (
        <>
          <div className="kpis">
            <Kpi label="Workflows" value={formatNumber(data.data.workflows.length)} />
            <Kpi label="Runs" value={formatNumber(totals.runs)} />
            <Kpi label="Failed runs" value={formatNumber(totals.failed)} tone={totals.failed > 0 && "bad"} />
            <Kpi label="Missed runs" value={formatNumber(totals.missed)} tone={totals.missed > 0 && "bad"} />
          </div>
          {data.data.workflows.length === 0 ? (
            <EmptyState title="No automation runs in this period" />
          ) : (
            <WorkflowTable workflows={data.data.workflows} selected={workflow} onSelect={setWorkflow} />
          )}
          {runs.length > 0 && (
            <section aria-labelledby="runs-title">
              <h2 id="runs-title" className="section-title">
                {workflow ? (
                  <>
                    Runs of <span className="mono">{workflow}</span>{" "}
                    <button type="button" className="btn btn-small btn-ghost" onClick={() => setWorkflow("")}>
                      Show all
                    </button>
                  </>
                ) : (
                  "Recent runs"
                )}
              </h2>
              <RunTable runs={runs} />
            </section>
          )}
        </>
      )}
    </>
  );
}
