// The submitter's /metrics: the latest tree size each witness cosigned per
// tenant, and failed submissions by witness and reason. Labels come from the
// operator's witness list, tenant names and a fixed set of reasons.
import { Counter, Gauge, type Registry } from "prom-client";

export type WitnessFailureReason = "unreachable" | "refused" | "conflict" | "fork" | "bad_cosignature" | "error";

export interface WitnessMetrics {
  cosignedSize: Gauge<"tenant" | "witness">;
  failures: Counter<"tenant" | "witness" | "reason">;
}

export function createWitnessMetrics(registry: Registry): WitnessMetrics {
  return {
    cosignedSize: new Gauge({
      name: "trailproof_witness_cosigned_tree_size",
      help: "The largest tree size of each tenant's log that each witness cosigned (and the service stored)",
      labelNames: ["tenant", "witness"] as const,
      registers: [registry],
    }),
    failures: new Counter({
      name: "trailproof_witness_failures_total",
      help: "Failed checkpoint submissions to witnesses, by reason: unreachable, refused (4xx/5xx), conflict (409 the service could not resolve), fork (the witness refused the checkpoint as inconsistent: 422, or 409 at the same size), bad_cosignature (the answer held no valid cosignature by the configured key), error",
      labelNames: ["tenant", "witness", "reason"] as const,
      registers: [registry],
    }),
  };
}
