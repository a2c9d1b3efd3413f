// Where a personal value was crypto-shredded by an erasure: say when and by
// which erasure, so nobody mistakes it for a value, a gap or a null.
import type { Erasure } from "../lib/erased.js";
import { formatTime } from "../lib/format.js";
import { Badge } from "./Badge.js";

export function Erased({ erasure }: { erasure: Erasure }) {
  return (
    <span className="erased" title={`Erased ${erasure.erased_at} (UTC)`}>
      <Badge tone="neutral">erased</Badge> on {formatTime(erasure.erased_at)} (erasure{" "}
      <span className="mono">{erasure.erasure_id}</span>)
    </span>
  );
}
