// Spreadsheet-safe CSV cells (OWASP "CSV Injection"): a cell a spreadsheet
// would read as a formula, one starting with = + - @ or a tab or carriage
// return, is prefixed with a single quote so it shows as text and never runs
// (and the CSV encoder quotes every cell: export-body.ts).
// The values are untrusted (event messages, names and metadata come from the
// platforms and their users), the reader of an export is an auditor.

const FORMULA_START = /^[=+\-@\t\r]/;

/** True when a spreadsheet could take `cell` for a formula. */
export function isFormulaLike(cell: string): boolean {
  return FORMULA_START.test(cell);
}

/** `cell`, prefixed with a single quote when it could be taken for a formula. */
export function toSpreadsheetSafe(cell: string): string {
  return isFormulaLike(cell) ? `'${cell}` : cell;
}
