// Plain-text tables for the CLI's human output: a header row, then one row per
// record, columns padded to their widest cell. Scripts use --json instead.
// Written here rather than imported: no table library is in the dependencies,
// and left-aligned padding is all these tables need.

/** A column: its header and how to read its cell from a row. */
export interface TableColumn<Row> {
  header: string;
  cell: (row: Row) => string | number;
}

/**
 * Formats `rows` as lines ending in "\n", two spaces between columns and no
 * trailing spaces. Cells come from stored names and MUST NOT carry newlines;
 * any control character is shown escaped so a row stays one line.
 */
export function formatTable<Row>(columns: readonly TableColumn<Row>[], rows: readonly Row[]): string {
  const lines = [columns.map((c) => c.header), ...rows.map((row) => columns.map((c) => printable(c.cell(row))))];
  const widths = columns.map((_, i) => Math.max(...lines.map((line) => (line[i] as string).length)));
  return lines
    .map((line) =>
      line
        .map((cell, i) => cell.padEnd(widths[i] as number))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")
    .concat("\n");
}

function printable(value: string | number): string {
  return String(value).replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
