// A PASS/MISS line of the soak and overload benches: the target in words
// (its threshold included), what was measured, and whether it held.

export interface Verdict {
  target: string;
  measured: string;
  pass: boolean;
}

export function formatVerdict(v: Verdict): string {
  return `${v.pass ? "PASS" : "MISS"}  ${v.target}: ${v.measured}`;
}

/** One markdown table row, cells as given. */
export function markdownLine(cells: readonly (string | number)[]): string {
  return `| ${cells.join(" | ")} |`;
}

/** A markdown table of `rows` under `header`. */
export function markdownTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return [markdownLine(header), markdownLine(header.map(() => "---")), ...rows.map(markdownLine)].join("\n");
}
