// WorkOS's error convention, so @workos-inc/node maps our refusals onto its
// own exceptions (src/workos.ts handleHttpError): always application/json
// (the SDK parses no other type, and throws ParseError instead), with
// `message` and `code`. 401 -> UnauthorizedException; a refused event 422
// `{message, code, errors}` -> UnprocessableEntityException; a bad request
// 400 `{message, code, errors}` -> BadRequestException; 404, 409 and 429 to
// their own exceptions; anything else to GenericServerException with its
// status. Never an `error` member: the SDK would read it as an OAuth error.
import type { ProblemDetails } from "@trailproof/protocol";
import type { CompatError } from "../compat-scope.js";

/** The route config every WorkOS route carries: its errors are WorkOS's JSON, never problem+json. */
export const WORKOS_ERRORS = { errorMediaTypes: ["application/json"] } as const;

/** Codes of an event the tenant refused (validation, registry): WorkOS answers those 422. */
const UNPROCESSABLE = new Set(["EVENT_INVALID", "EVENT_TIMESTAMP_INVALID", "EVENT_CONTEXT_INVALID", "SCHEMA_INVALID"]);

export function workosError(problem: ProblemDetails): CompatError {
  const code = String(problem.code ?? "error").toLowerCase();
  const message = problem.detail ?? problem.title;
  const problems = (problem.problems ?? []) as readonly { pointer: string; message: string }[];
  const errors = problems.map((p) => ({ field: p.pointer, code: `${p.pointer || "/"} ${p.message}` }));
  const json = (status: number, body: Record<string, unknown>): CompatError => ({
    status,
    contentType: "application/json; charset=utf-8",
    body: JSON.stringify(body),
  });
  if (UNPROCESSABLE.has(String(problem.code))) return json(422, { message, code, errors });
  if (problem.status === 400) return json(400, { message, code, errors });
  return json(problem.status, { message, code });
}
