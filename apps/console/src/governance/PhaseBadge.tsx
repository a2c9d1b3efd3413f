// A policy decision's phase in words; "unspecified" for an event that named none.
import { Badge } from "../components/Badge.js";

export function PhaseBadge({ phase }: { phase: string | null }) {
  if (phase === null) return <Badge tone="neutral">unspecified</Badge>;
  return <Badge tone={phase === "runtime" ? "info" : phase === "deploy" ? "warn" : "neutral"}>{phase}</Badge>;
}
