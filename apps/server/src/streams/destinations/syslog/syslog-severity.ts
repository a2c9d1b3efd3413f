// The RFC 5424 severity (section 6.2.1, table 2) of an audit event, from its
// outcome and risk; with the facility it makes the PRI. Severities 0 and 1
// (emergency, alert) say the system is unusable: an audit event never does.

/** RFC 5424 severities used here, by name. */
export const SYSLOG_SEVERITY = { critical: 2, error: 3, warning: 4, notice: 5, informational: 6 } as const;

const BY_RISK: Record<string, number> = {
  low: SYSLOG_SEVERITY.informational,
  medium: SYSLOG_SEVERITY.notice,
  high: SYSLOG_SEVERITY.warning,
  critical: SYSLOG_SEVERITY.error,
};

/**
 * Risk sets the base (low 6, medium 5, high 4, critical 3); an outcome of
 * `failure` or `denied` is one step more severe (a denied critical action is
 * 2). An absent or unknown risk reads as low, an absent outcome as success.
 */
export function syslogSeverity(outcome: string | undefined, risk: string | undefined): number {
  const base = (risk !== undefined ? BY_RISK[risk] : undefined) ?? SYSLOG_SEVERITY.informational;
  return outcome === "failure" || outcome === "denied" ? base - 1 : base;
}

/** RFC 5424 section 6.2.1: PRI = facility * 8 + severity. Requires 0 <= facility <= 23. */
export function syslogPri(facility: number, severity: number): number {
  return facility * 8 + severity;
}
