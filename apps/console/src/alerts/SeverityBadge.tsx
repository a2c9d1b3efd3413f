// An alert's or rule's severity, in the shared badge scale.
import { Badge } from "../components/Badge.js";

export function SeverityBadge({ severity }: { severity: string }) {
  const tone =
    severity === "critical" ? "critical" : severity === "high" ? "bad" : severity === "medium" ? "warn" : "neutral";
  return <Badge tone={tone}>{severity}</Badge>;
}
