// A chart with a heading and a text summary for screen readers; the data is
// also a table behind a disclosure, for people who would rather read numbers.
import type { ReactNode } from "react";

export function ChartCard({
  title,
  summary,
  children,
  table,
  wide = false,
}: {
  title: string;
  summary: string;
  children: ReactNode;
  table?: { columns: string[]; rows: (string | number)[][] };
  wide?: boolean;
}) {
  const id = `chart-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <section className={wide ? "card chart-card card-wide" : "card chart-card"} aria-labelledby={id}>
      <h2 id={id} className="card-title">
        {title}
      </h2>
      <p className="muted small chart-summary">{summary}</p>
      <div className="chart" role="img" aria-label={`${title}: ${summary}`}>
        {children}
      </div>
      {table && table.rows.length > 0 && (
        <details className="chart-data">
          <summary>Show data</summary>
          <table className="table table-compact">
            <thead>
              <tr>
                {table.columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((r) => (
                <tr key={String(r[0])}>
                  {r.map((cell, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                    <td key={i}>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </section>
  );
}
