// The table shell every list in the console shares: the scrolling wrapper, the
// table's accessible name (a hidden caption, an aria-label or a heading's id)
// and one header row; the rows are the children.
import type { ReactNode } from "react";

/** A column title; `false` leaves the column out (one only some roles see). */
export type Column =
  | string
  | false
  | {
      title: string;
      /** The header cell's class, "num" for a right-aligned number column. */
      className?: string;
      /** The title is for screen readers only (an actions column). */
      hidden?: boolean;
    };

export function DataTable({
  columns,
  caption,
  label,
  labelledBy,
  className,
  children,
}: {
  columns: readonly Column[];
  /** Names the table in a caption only screen readers see. */
  caption?: string;
  label?: string;
  labelledBy?: string;
  /** Classes added to "table". */
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className="table-wrap">
      <table className={className ? `table ${className}` : "table"} aria-label={label} aria-labelledby={labelledBy}>
        {caption !== undefined && <caption className="sr-only">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((c) => {
              if (c === false) return null;
              if (typeof c === "string") {
                return (
                  <th key={c} scope="col">
                    {c}
                  </th>
                );
              }
              return (
                <th key={c.title} scope="col" className={c.className}>
                  {c.hidden ? <span className="sr-only">{c.title}</span> : c.title}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
