// Outcome words sources use (an audit.outcome attribute, a CloudEvent's
// data.outcome) as the envelope's outcome.status. Shared by the OTLP and
// CloudEvents endpoints.

const STATUSES: Record<string, "success" | "failure" | "denied"> = {
  success: "success",
  succeeded: "success",
  ok: "success",
  failure: "failure",
  failed: "failure",
  error: "failure",
  denied: "denied",
  forbidden: "denied",
};

/**
 * The outcome status `word` (untrusted) names; an unknown word is returned
 * as it is, so validation refuses it with the sender's own word in the problem.
 */
export function outcomeStatusOf(word: string): string {
  return STATUSES[word.toLowerCase()] ?? word;
}
