// Errors of the HTTP API as the console sees them: RFC 9457 problem details
// with a stable code, or a transport failure.
import type { ProblemDetails } from "@trailproof/protocol";

export class ApiError extends Error {
  readonly status: number;
  readonly problem: ProblemDetails | undefined;
  /** Seconds from Retry-After on 429 and 503. */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, problem: ProblemDetails | undefined, retryAfterSeconds?: number) {
    super(problem ? problemMessage(problem) : `request failed with HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  get code(): string {
    return this.problem?.code ?? (this.status === 0 ? "NETWORK_ERROR" : `HTTP_${this.status}`);
  }
}

/** Every listed problem (they name the field or column), else the detail. */
export function problemMessage(problem: ProblemDetails): string {
  if (problem.problems && problem.problems.length > 0) return problem.problems.map((p) => p.message).join("; ");
  return problem.detail ?? problem.title;
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

export function hasCode(err: unknown, code: string): boolean {
  return err instanceof ApiError && err.code === code;
}
