// /governance — policy decisions by phase and policy, the newest denials with
// their remediation, and policy changes with who made them, over a period.
import { useMemo, useState } from "react";
import { useApi } from "../api/api-context.js";
import { fetchGovernance, type GovernanceParams } from "../api/governance-api.js";
import { EmptyState } from "../components/EmptyState.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { Kpi } from "../components/Kpi.js";
import { Loading } from "../components/Loading.js";
import { PageHeader } from "../components/PageHeader.js";
import { Section } from "../components/Section.js";
import { SelectField } from "../components/SelectField.js";
import { DecisionTable } from "../governance/DecisionTable.js";
import { DenialList } from "../governance/DenialList.js";
import { PolicyChangeList } from "../governance/PolicyChangeList.js";
import { formatNumber } from "../lib/format.js";
import { useAsync } from "../lib/use-async.js";

const DAY_MS = 86_400_000;

export function GovernancePage() {
  const { api } = useApi();
  const [days, setDays] = useState(30);
  const [phase, setPhase] = useState("");
  // The period's start is fixed when it is chosen, so a re-render does not reload.
  const from = useMemo(() => (days === 0 ? undefined : new Date(Date.now() - days * DAY_MS).toISOString()), [days]);
  const params: GovernanceParams = {
    ...(from === undefined ? {} : { from }),
    ...(phase === "" ? {} : { phase: phase as NonNullable<GovernanceParams["phase"]> }),
  };
  const data = useAsync(() => fetchGovernance(api, params), [api, from, phase]);
  const view = data.data;

  return (
    <>
      <PageHeader
        title="Governance"
        subtitle="Policy decisions at build, deploy and runtime, what was denied and how to fix it, and who changed which policy."
        actions={
          <>
            <SelectField inline label="Period" value={days} onChange={(v) => setDays(Number(v))}>
              <option value={1}>Last 24 hours</option>
              <option value={7}>Last 7 days</option>
              <option value={30}>Last 30 days</option>
              <option value={90}>Last 90 days</option>
              <option value={0}>All time</option>
            </SelectField>
            <SelectField inline label="Phase" value={phase} onChange={setPhase}>
              <option value="">All phases</option>
              <option value="build">Build</option>
              <option value="deploy">Deploy</option>
              <option value="runtime">Runtime</option>
            </SelectField>
          </>
        }
      />
      {data.loading && <Loading label="Loading governance" />}
      {data.error !== undefined && <ErrorNotice error={data.error} title="Could not load governance" />}
      {view && (
        <>
          {view.truncated && (
            <p className="notice notice-warn" role="status">
              The period holds more policy events than one view reads; choose a shorter period for exact counts.
            </p>
          )}
          {view.pseudonyms && (
            <p className="muted">People are shown as pseudonyms: your role does not read personal values.</p>
          )}
          <div className="kpis">
            <Kpi label="Decisions" value={formatNumber(view.decisions.total)} />
            <Kpi label="Allowed" value={formatNumber(view.decisions.allow)} />
            <Kpi label="Denied" value={formatNumber(view.decisions.deny)} tone={view.decisions.deny > 0 && "bad"} />
            <Kpi label="Warnings" value={formatNumber(view.decisions.warn)} />
            <Kpi label="Policy changes" value={formatNumber(view.changes.length)} />
          </div>
          <Section id="decisions-title" title="Decisions by phase and policy">
            {view.decisions.rows.length === 0 ? (
              <EmptyState title="No policy decisions in this period">
                Record them as policy.evaluate events (the SDK's policyEvaluated helper).
              </EmptyState>
            ) : (
              <DecisionTable rows={view.decisions.rows} />
            )}
          </Section>
          <Section id="denials-title" title="Recent denials">
            {view.denials.length === 0 ? (
              <EmptyState title="No denials in this period" />
            ) : (
              <DenialList denials={view.denials} />
            )}
          </Section>
          <Section id="changes-title" title="Policy changes">
            {view.changes.length === 0 ? (
              <EmptyState title="No policy changes in this period" />
            ) : (
              <PolicyChangeList changes={view.changes} />
            )}
          </Section>
        </>
      )}
    </>
  );
}
