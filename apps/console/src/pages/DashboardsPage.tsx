// /dashboards (lazy chunk with recharts) — activity over time, top actors
// and actions, outcomes, risk and automation health, all from /v1/stats. The
// meta-audit's records of reads are left out unless the URL asks for them:
// every dashboard view is itself six reads, which would crowd out the actors
// and actions the dashboards are for.
import { useState } from "react";
import { useApi } from "../api/api-context.js";
import type { Stats } from "../api/types.js";
import { roleAtLeast } from "../auth/roles.js";
import { useSignedIn } from "../auth/session.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { Kpi } from "../components/Kpi.js";
import { Loading } from "../components/Loading.js";
import { MetaAuditSwitch } from "../components/MetaAuditSwitch.js";
import { PageHeader } from "../components/PageHeader.js";
import { SelectField } from "../components/SelectField.js";
import { ChartCard } from "../dashboards/ChartCard.js";
import { ActivityChart, StackedChart, TopBars } from "../dashboards/Charts.js";
import { groupTotals, toSeries } from "../dashboards/chart-data.js";
import { PseudonymResolver } from "../dashboards/PseudonymResolver.js";
import { formatDay, formatNumber, formatShortTime } from "../lib/format.js";
import { HIDE_META_AUDIT, META_AUDIT_PARAM, readShowMetaAudit } from "../lib/meta-audit.js";
import { useAsync } from "../lib/use-async.js";
import { navigate, useLocation } from "../router/router.js";

const PERIODS = {
  "24h": { label: "Last 24 hours", ms: 86_400_000, bucket: "hour" },
  "7d": { label: "Last 7 days", ms: 7 * 86_400_000, bucket: "hour" },
  "30d": { label: "Last 30 days", ms: 30 * 86_400_000, bucket: "day" },
} as const;
type Period = keyof typeof PERIODS;

export default function DashboardsPage() {
  const { api } = useApi();
  const { user } = useSignedIn();
  const [period, setPeriod] = useState<Period>("7d");
  const { search } = useLocation();
  const showMetaAudit = readShowMetaAudit(search);
  const stats = useAsync(async () => {
    const p = PERIODS[period];
    const base = {
      from: new Date(Date.now() - p.ms).toISOString(),
      bucket: p.bucket,
      ...(showMetaAudit ? {} : { q: HIDE_META_AUDIT }),
    };
    const get = (extra: Record<string, string> = {}) => api.get<Stats>("/v1/stats", { ...base, ...extra });
    const [all, actors, actions, outcomes, risks, automation] = await Promise.all([
      get(),
      // Counting people needs no names: actors as the tenant's pseudonyms (docs/api.md#pseudonyms).
      get({ group_by: "actor", pseudonyms: "true" }),
      get({ group_by: "action" }),
      get({ group_by: "outcome" }),
      get({ group_by: "risk" }),
      get({ actor_type: "automation", group_by: "outcome" }),
    ]);
    return { all, actors, actions, outcomes, risks, automation };
  }, [api, period, showMetaAudit]);

  const label = (iso: string) => (PERIODS[period].bucket === "day" ? formatDay(iso) : formatShortTime(iso));

  return (
    <>
      <PageHeader
        title="Dashboards"
        subtitle="Who is changing what, how it went, and whether automations are healthy."
        actions={
          <>
            <MetaAuditSwitch
              shown={showMetaAudit}
              onChange={(shown) => navigate(shown ? `/dashboards?${META_AUDIT_PARAM}=1` : "/dashboards")}
            />
            <SelectField inline label="Period" value={period} onChange={(v) => setPeriod(v as Period)}>
              {Object.entries(PERIODS).map(([k, p]) => (
                <option key={k} value={k}>
                  {p.label}
                </option>
              ))}
            </SelectField>
          </>
        }
      />
      {stats.loading && <Loading label="Counting events" />}
      {stats.error !== undefined && <ErrorNotice error={stats.error} title="Could not load statistics" />}
      {stats.data && !stats.loading && <Dashboard data={stats.data} label={label} />}
      {roleAtLeast(user.role, "auditor") && <PseudonymResolver />}
    </>
  );
}

function Dashboard({
  data,
  label,
}: {
  data: Record<"all" | "actors" | "actions" | "outcomes" | "risks" | "automation", Stats>;
  label: (iso: string) => string;
}) {
  const activity = toSeries(data.all, label);
  const topActors = groupTotals(data.actors).slice(0, 8);
  const topActions = groupTotals(data.actions).slice(0, 8);
  const outcomeGroups = ["success", "failure", "denied"];
  const outcomes = groupTotals(data.outcomes);
  const risks = groupTotals(data.risks);
  const autoOutcomes = groupTotals(data.automation);
  const failed = outcomes.filter((o) => o.name !== "success").reduce((n, o) => n + o.count, 0);
  const highRisk = risks.filter((r) => r.name === "high" || r.name === "critical").reduce((n, r) => n + r.count, 0);
  const autoFailed = autoOutcomes.filter((o) => o.name !== "success").reduce((n, o) => n + o.count, 0);
  const peak = activity.reduce((m, r) => Math.max(m, r.count), 0);

  return (
    <>
      <div className="kpis">
        <Kpi label="Events" value={formatNumber(data.all.total)} />
        <Kpi label="Failed or denied" value={formatNumber(failed)} tone={failed > 0 && "warn"} />
        <Kpi label="High or critical risk" value={formatNumber(highRisk)} tone={highRisk > 0 && "warn"} />
        <Kpi label="Automation failures" value={formatNumber(autoFailed)} tone={autoFailed > 0 && "bad"} />
      </div>
      <div className="chart-grid">
        <ChartCard
          wide
          title="Activity over time"
          summary={`${formatNumber(data.all.total)} events, at most ${formatNumber(peak)} per ${data.all.bucket}.`}
          table={{ columns: ["Start", "Events"], rows: activity.map((r) => [r.start, r.count]) }}
        >
          <ActivityChart rows={activity} />
        </ChartCard>
        <ChartCard
          title="Top actors"
          summary={
            topActors.length
              ? `Most active: ${topActors[0]?.name}. Actors are shown as pseudonyms; an auditor can resolve one.`
              : "No activity."
          }
          table={{ columns: ["Actor (pseudonym)", "Events"], rows: topActors.map((a) => [a.name, a.count]) }}
        >
          <TopBars data={topActors} />
        </ChartCard>
        <ChartCard
          title="Top actions"
          summary={topActions.length ? `Most frequent: ${topActions[0]?.name}.` : "No activity."}
          table={{ columns: ["Action", "Events"], rows: topActions.map((a) => [a.name, a.count]) }}
        >
          <TopBars data={topActions} />
        </ChartCard>
        <ChartCard
          title="Outcomes over time"
          summary={outcomes.map((o) => `${o.name} ${formatNumber(o.count)}`).join(", ") || "No activity."}
          table={{ columns: ["Outcome", "Events"], rows: outcomes.map((o) => [o.name, o.count]) }}
        >
          <StackedChart rows={toSeries(data.outcomes, label)} groups={outcomeGroups} />
        </ChartCard>
        <ChartCard
          title="Risk"
          summary={risks.map((r) => `${r.name} ${formatNumber(r.count)}`).join(", ") || "No activity."}
          table={{ columns: ["Risk", "Events"], rows: risks.map((r) => [r.name, r.count]) }}
        >
          <TopBars data={risks} />
        </ChartCard>
        <ChartCard
          wide
          title="Automation health"
          summary={
            autoOutcomes.length
              ? `${formatNumber(data.automation.total)} automation events, ${formatNumber(autoFailed)} not successful.`
              : "No automation activity in this period."
          }
          table={{ columns: ["Outcome", "Events"], rows: autoOutcomes.map((o) => [o.name, o.count]) }}
        >
          <StackedChart rows={toSeries(data.automation, label)} groups={outcomeGroups} />
        </ChartCard>
      </div>
    </>
  );
}
