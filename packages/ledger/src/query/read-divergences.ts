// Where a read reports a stored row that contradicts its leaf: the read
// leaves the entry out (never answering with another event), and whoever
// runs the service hears of it here (the server logs it at error level and
// counts it in /metrics). `trailproof verify` names every such row.
import type { DivergenceKind } from "@trailproof/core";
import { Listeners } from "../listeners.js";

export interface ReadDivergence {
  /** The tenant's id (queries) or name (reads by name). */
  tenant: number | string;
  index: number;
  kind: DivergenceKind;
  message: string;
}

export type ReadDivergenceListener = (divergence: ReadDivergence) => void;

export class ReadDivergences extends Listeners<ReadDivergence> {
  report(divergence: ReadDivergence): void {
    this.emit(divergence);
  }
}
