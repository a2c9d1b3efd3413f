// The check every store's search audit makes of its search rows: each row
// holds exactly the fields derived from its leaf (searchFieldsOf, what the
// projections write with), reported as runs of missing rows and runs of
// differing rows naming the columns that differ.
import type { SearchFields } from "../query/search-fields.js";
import { type ReportDivergence, RunReporter } from "./derived-rows.js";

/** A search row's columns, as both backends name them. */
export interface SearchRowColumns {
  idx: number;
  event_id: string;
  occurred_ms: number;
  action: string;
  kind: string;
  category: string;
  outcome: string;
  risk: string;
  actor_type: string;
  actor_id: string;
  target_type: string;
  target_id: string;
  session_id: string | null;
  run_id: string | null;
  workflow_id: string | null;
  caused_by: string | null;
  environment: string | null;
  trigger_id: string | null;
  message: string | null;
}

/** Search row columns and the field each holds. */
const COLUMNS: [keyof SearchRowColumns, keyof SearchFields][] = [
  ["event_id", "eventId"],
  ["occurred_ms", "occurredMs"],
  ["action", "action"],
  ["kind", "kind"],
  ["category", "category"],
  ["outcome", "outcome"],
  ["risk", "risk"],
  ["actor_type", "actorType"],
  ["actor_id", "actorId"],
  ["target_type", "targetType"],
  ["target_id", "targetId"],
  ["session_id", "sessionId"],
  ["run_id", "runId"],
  ["workflow_id", "workflowId"],
  ["caused_by", "causedBy"],
  ["environment", "environment"],
  ["trigger_id", "triggerId"],
  ["message", "message"],
];

/** Checks search rows in index order against their leaves' fields, for one verification run of one tenant. */
export class SearchRowCheck {
  readonly #missing: RunReporter;
  readonly #differ: RunReporter;
  /** The columns that differed in the current run of differing rows. */
  readonly #differColumns = new Set<string>();

  constructor(report: ReportDivergence) {
    this.#missing = new RunReporter(report, "PROJECTION_MISMATCH", (a, b) =>
      a === b ? `entry ${a} has no search row` : `entries ${a}..${b} have no search rows`,
    );
    this.#differ = new RunReporter(report, "PROJECTION_MISMATCH", (a, b) => {
      const columns = [...this.#differColumns].join(", ");
      this.#differColumns.clear();
      return a === b
        ? `entry ${a}'s search row differs from its leaf in ${columns}`
        : `the search rows of entries ${a}..${b} differ from their leaves in ${columns}`;
    });
  }

  /** The row stored for entry `index` (undefined: none) against the fields its leaf gives. */
  check(index: number, fields: SearchFields, row: SearchRowColumns | undefined): void {
    if (!row) {
      this.#differ.flush();
      this.#missing.add(index);
      return;
    }
    this.#missing.flush();
    const differ = COLUMNS.filter(([column, field]) => row[column] !== fields[field]).map(([column]) => column);
    if (differ.length === 0) {
      this.#differ.flush();
      return;
    }
    this.#differ.add(index);
    for (const column of differ) this.#differColumns.add(column);
  }

  /** Reports the runs still open (at the end of a run). */
  flush(): void {
    this.#missing.flush();
    this.#differ.flush();
  }
}
