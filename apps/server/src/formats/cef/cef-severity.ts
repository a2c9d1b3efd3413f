// CEF Severity (0-10; 0-3 low, 4-6 medium, 7-8 high, 9-10 very high) of an
// audit event, from its risk and outcome.

const BY_RISK: Record<string, number> = { low: 2, medium: 5, high: 7, critical: 9 };

/**
 * Risk sets the base (low 2, medium 5, high 7, critical 9); an outcome of
 * `failure` or `denied` adds one, which keeps each risk inside its CEF band.
 * An absent or unknown risk reads as low, an absent outcome as success.
 */
export function cefSeverity(outcome: string | undefined, risk: string | undefined): number {
  const base = (risk !== undefined ? BY_RISK[risk] : undefined) ?? 2;
  return outcome === "failure" || outcome === "denied" ? base + 1 : base;
}
