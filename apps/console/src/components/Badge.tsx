// Status colours, one scale everywhere: outcome, risk, run status, role.
// Each badge also says its value in words, so colour is never the only cue.
import type { ReactNode } from "react";

type Tone = "ok" | "warn" | "bad" | "critical" | "neutral" | "info";

export function Badge({ tone, children, title }: { tone: Tone; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

export function OutcomeBadge({ status }: { status: string | undefined }) {
  const tone: Tone = status === "success" ? "ok" : status === "denied" ? "warn" : status ? "bad" : "neutral";
  return <Badge tone={tone}>{status ?? "unknown"}</Badge>;
}

export function RiskBadge({ risk }: { risk: string | undefined }) {
  const tone: Tone =
    risk === "critical" ? "critical" : risk === "high" ? "bad" : risk === "medium" ? "warn" : "neutral";
  return <Badge tone={tone}>{risk ?? "—"}</Badge>;
}

export function RunStatusBadge({ status }: { status: string }) {
  const tone: Tone = status === "succeeded" ? "ok" : status === "failed" ? "bad" : "info";
  return <Badge tone={tone}>{status}</Badge>;
}

export function RoleBadge({ role }: { role: string }) {
  return <Badge tone={role === "admin" ? "critical" : role === "auditor" ? "info" : "neutral"}>{role}</Badge>;
}
