// Turns every error into an RFC 9457 problem+json response through the one
// status table in @trailproof/protocol. Internal errors are logged once here
// and answered without their message.
import { type ErrorCode, TrailproofError } from "@trailproof/core";
import { IngestOverloadedError } from "@trailproof/ledger";
import { httpStatusFor, PROBLEM_CONTENT_TYPE, type ProblemDetails, problemTypeFor } from "@trailproof/protocol";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  409: "Conflict",
  410: "Gone",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  417: "Expectation Failed",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export class HttpProblem extends TrailproofError {}

/**
 * The problem document for `code`; `detail` must be safe to show the caller.
 * `instance` is left out where no request was parsed (clientError).
 */
export function buildProblem(
  code: ErrorCode,
  detail: string,
  where: { instance?: string; requestId: string },
  problems?: readonly { pointer: string; message: string }[],
): ProblemDetails {
  const status = httpStatusFor(code);
  const body: ProblemDetails = {
    type: problemTypeFor(code),
    title: TITLES[status] ?? "Error",
    status,
    detail,
    ...(where.instance === undefined ? {} : { instance: where.instance }),
    code,
    request_id: where.requestId,
  };
  if (problems && problems.length > 0) body.problems = [...problems];
  return body;
}

/** Sends a problem for `code`; `detail` must be safe to show the caller. */
export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ErrorCode,
  detail: string,
  problems?: readonly { pointer: string; message: string }[],
): FastifyReply {
  const body = buildProblem(code, detail, { instance: request.url.split("?")[0], requestId: request.id }, problems);
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** Fastify's own error codes, mapped onto ours (routes with attachValidation merge their own problems in). */
export function fromFastify(
  err: FastifyError,
): { code: ErrorCode; detail: string; problems?: { pointer: string; message: string }[] } | undefined {
  if (err.validation) {
    const where = err.validationContext ?? "request";
    return {
      code: "REQUEST_INVALID",
      detail: `the ${where} does not match the API's schema`,
      problems: err.validation.map((v) => {
        const params = v.params as { missingProperty?: string; additionalProperty?: string };
        const named =
          v.keyword === "required"
            ? `/${params.missingProperty ?? ""}`
            : v.keyword === "additionalProperties"
              ? `/${params.additionalProperty ?? ""}`
              : "";
        const message =
          v.keyword === "additionalProperties"
            ? "is not an allowed parameter or field here"
            : (v.message ?? "is invalid");
        return { pointer: `/${where}${v.instancePath}${named}`, message };
      }),
    };
  }
  switch (err.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return { code: "REQUEST_TOO_LARGE", detail: "the request body is larger than the service accepts" };
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return { code: "REQUEST_UNSUPPORTED_MEDIA_TYPE", detail: "send application/json" };
    // @fastify/static refusing a path (dot segments, a name too long): no such file to serve.
    case "FST_STATIC_FORBIDDEN_PATH":
    case "ENAMETOOLONG":
      return { code: "NOT_FOUND", detail: "no such file" };
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return { code: "REQUEST_MALFORMED_JSON", detail: "the body is not valid JSON" };
    default:
      break;
  }
  if (err instanceof SyntaxError || err.statusCode === 400) {
    // Malformed JSON, or a body with __proto__/constructor keys refused by the parser.
    return {
      code: "REQUEST_MALFORMED_JSON",
      detail: "the body is not valid JSON, or holds forbidden keys such as __proto__",
    };
  }
  return undefined;
}

export function registerProblemHandlers(
  app: FastifyInstance,
  fallback?: (request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined,
): void {
  app.setNotFoundHandler(
    (request, reply) => fallback?.(request, reply) ?? sendProblem(request, reply, "NOT_FOUND", "no such route"),
  );
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof IngestOverloadedError) {
      reply.header("retry-after", String(Math.ceil(err.retryAfterMs / 1000)));
      return sendProblem(request, reply, err.code, err.message);
    }
    if (err instanceof TrailproofError && httpStatusFor(err.code) < 500) {
      return sendProblem(request, reply, err.code, err.message, err.problems);
    }
    if (err instanceof TrailproofError && httpStatusFor(err.code) === 503) {
      reply.header("retry-after", "1");
      return sendProblem(request, reply, err.code, err.message);
    }
    const mapped = fromFastify(err);
    if (mapped) return sendProblem(request, reply, mapped.code, mapped.detail, mapped.problems);
    if (err.statusCode === 429) {
      return sendProblem(
        request,
        reply,
        "RATE_LIMITED",
        "too many requests for this key; retry after the indicated delay",
      );
    }
    request.log.error({ err }, "request failed");
    return sendProblem(request, reply, "INTERNAL", "the service failed to handle this request");
  });
}
