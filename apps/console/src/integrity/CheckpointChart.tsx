// Signed checkpoints over time: the tree only grows, so the line must only
// rise; a fall would be a rewritten log.
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { CheckpointSummary } from "../api/types.js";
import { formatNumber, formatShortTime } from "../lib/format.js";

export function CheckpointChart({ checkpoints }: { checkpoints: readonly CheckpointSummary[] }) {
  const rows = [...checkpoints]
    .sort((a, b) => (a.signed_at < b.signed_at ? -1 : 1))
    .map((c) => ({ label: formatShortTime(c.signed_at), size: c.tree_size }));
  const shrank = rows.some((r, i) => i > 0 && r.size < (rows[i - 1]?.size ?? 0));
  const latest = rows[rows.length - 1];
  return (
    <section className="card" aria-labelledby="cp-title">
      <h2 id="cp-title" className="card-title">
        Checkpoints over time
      </h2>
      <p className="muted small">
        {rows.length} signed checkpoints{latest ? `, latest at tree size ${formatNumber(latest.size)}` : ""}.{" "}
        {shrank ? (
          <strong className="text-bad">The tree size went down: the log was rewritten.</strong>
        ) : (
          "The tree size never went down."
        )}
      </p>
      <div className="chart" role="img" aria-label={`Tree size of ${rows.length} signed checkpoints over time`}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="#e2e8f0" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 11, fill: "#64748b" }} tickLine={false} minTickGap={40} />
            <YAxis tick={{ fontSize: 11, fill: "#64748b" }} tickLine={false} axisLine={false} width={56} />
            <Tooltip />
            <Line
              type="stepAfter"
              dataKey="size"
              name="Tree size"
              stroke="#1d4ed8"
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}
