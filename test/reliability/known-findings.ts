// Fuzzer findings marked expected-to-be-fixed: each names the finding, how to
// reproduce it, and the work that fixes it. A marked failure is printed in
// every run but does not fail it. A reproducible mark whose cases ran without
// it ever failing is stale and fails the run, so it goes with its fix; the
// others (timing- or input-dependent) are only reported as not seen.
import type { FuzzCase } from "./fuzz-case.js";

export interface KnownFinding {
  id: string;
  /** The finding, and what fixes it. */
  reason: string;
  /** The case is of the kind this finding concerns. */
  applies(c: FuzzCase): boolean;
  /** This failure of the case is the finding. */
  matches(c: FuzzCase, failure: { kind: string; detail: string; status: number | null }): boolean;
  /** Most cases it applies to fail while it is unfixed: twenty of them passing means it is fixed. */
  reproducible: boolean;
}

// Fixed since they were found, each with the marks removed in the same change: Node-level answers
// (no Host, an unknown Expect, CONNECT) are problem+json (http/node-level-answers.ts); a path
// @fastify/static refuses is a 404 (http/problem.ts); integer query parameters must be decimal
// integers (http/strict-query-integers.ts); a min_index beyond the log is a 400 at once
// (routes/read-your-writes.ts); /readyz measures how long the oldest unsigned entry has waited,
// not the age of the last checkpoint, so the first write after a quiet spell no longer makes it
// 503 (routes/health-routes.ts, issue 11; test/api/readyz-unsigned-bound.test.ts).
export const KNOWN_FINDINGS: readonly KnownFinding[] = [];
