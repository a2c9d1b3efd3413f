// One figure of a page's row of key numbers (inside a "kpis" row); `tone`
// marks it when it needs a look (kpi-bad, kpi-warn).
export function Kpi({ label, value, tone }: { label: string; value: string; tone?: "bad" | "warn" | false }) {
  return (
    <div className={tone ? `kpi kpi-${tone}` : "kpi"}>
      <span className="kpi-label">{label}</span>
      <span className="kpi-value">{value}</span>
    </div>
  );
}
