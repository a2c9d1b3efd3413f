// OTLP/HTTP's error answers: a google.rpc.Status in the request's own
// encoding (protobuf for application/x-protobuf, else JSON), with the HTTP
// status the service chose. The service's problem+json answers (401, 403,
// 413, 415, 429 and 503 with Retry-After, ...) are rewritten here, so the
// exporter's retry rules (429, 502, 503, 504 retryable, the rest final) see
// the same statuses every Trailproof client sees.
import { PROBLEM_CONTENT_TYPE, type ProblemDetails } from "@trailproof/protocol";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { encodeStatus } from "./otlp-proto.js";

export const PROTOBUF_TYPE = "application/x-protobuf";

/** The route config of the OTLP route: its errors are Status messages, never problem+json. */
export const OTLP_ERRORS = { errorMediaTypes: ["application/json", PROTOBUF_TYPE] } as const;

/** gRPC status codes for the HTTP statuses the endpoint answers (OTLP clients MAY record them). */
const GRPC_CODES: Record<number, number> = {
  400: 3, // INVALID_ARGUMENT
  401: 16, // UNAUTHENTICATED
  403: 7, // PERMISSION_DENIED
  404: 5, // NOT_FOUND
  413: 8, // RESOURCE_EXHAUSTED
  415: 3,
  429: 8,
  500: 13, // INTERNAL
  503: 14, // UNAVAILABLE
};

/** The request's media type (untrusted), lower case, without parameters. */
export function mediaTypeOf(request: FastifyRequest): string {
  return (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/** Rewrites every problem+json answer of `scope` into a Status. */
export function answerErrorsAsStatus(scope: FastifyInstance): void {
  scope.addHook("onSend", async (request, reply, payload) => {
    const type = String(reply.getHeader("content-type") ?? "");
    if (!type.startsWith(PROBLEM_CONTENT_TYPE) || typeof payload !== "string") return payload;
    const problem = JSON.parse(payload) as ProblemDetails;
    const code = GRPC_CODES[problem.status] ?? 2; // UNKNOWN
    const message = `${problem.code}: ${problem.detail}`;
    if (mediaTypeOf(request) === PROTOBUF_TYPE) {
      reply.type(PROTOBUF_TYPE);
      return encodeStatus(code, message);
    }
    reply.type("application/json");
    return JSON.stringify({ code, message });
  });
}
