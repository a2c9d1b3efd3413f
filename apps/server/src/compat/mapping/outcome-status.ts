// Outcomes in the envelope's words: the outcome words sources use (an
// audit.outcome attribute, a CloudEvent's data.outcome; OTLP and CloudEvents)
// as outcome.status, and a source's error or status reason (an OPA error
// code, a Kubernetes Status reason) as an outcome.reason code.

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

/**
 * An outcome reason code (lower-case letters, digits and _ . : -, at most 256)
 * from a source's word (untrusted): `Forbidden` is `forbidden`, with
 * `splitCamelCase` `NotFound` is `not_found`; undefined when nothing of it is left.
 */
export function toReasonCode(word: string, splitCamelCase: boolean): string | undefined {
  const code = (splitCamelCase ? word.replace(/([a-z0-9])([A-Z])/g, "$1_$2") : word)
    .toLowerCase()
    .replace(/[^a-z0-9_.:-]+/g, "_")
    .slice(0, 256);
  return code === "" || code === "_" ? undefined : code;
}
