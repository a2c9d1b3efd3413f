// Where a read reports a stored row that contradicts its leaf: the read
// leaves the entry out (never answering with another event), and whoever
// runs the service hears of it here (the server logs it at error level and
// counts it in /metrics). `trailproof verify` names every such row.
import type { DivergenceKind } from "@trailproof/core";

export interface ReadDivergence {
  /** The tenant's id (queries) or name (reads by name). */
  tenant: number | string;
  index: number;
  kind: DivergenceKind;
  message: string;
}

export type ReadDivergenceListener = (divergence: ReadDivergence) => void;

export class ReadDivergences {
  readonly #listeners: ReadDivergenceListener[] = [];

  on(listener: ReadDivergenceListener): void {
    this.#listeners.push(listener);
  }

  report(divergence: ReadDivergence): void {
    for (const listener of this.#listeners) listener(divergence);
  }
}
