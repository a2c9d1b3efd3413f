// The Fastify scope every compat endpoint lives in: bodies are read as bytes
// whatever their media type (OTLP protobuf, CloudEvents' own JSON types, a
// binary-mode string), inflated when sent with Content-Encoding gzip or
// deflate, and bounded by TRAILPROOF_COMPAT_MAX_BODY_BYTES before and after
// inflating. Each source parses its own bytes and may answer errors in its
// clients' own convention instead of problem+json.
import { promisify } from "node:util";
import { gunzip, inflate } from "node:zlib";
import { PROBLEM_CONTENT_TYPE, type ProblemDetails } from "@trailproof/protocol";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { AppDeps } from "../deps.js";
import { HttpProblem } from "../http/problem.js";

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

/** An error answer in a client's own convention. */
export interface CompatError {
  status: number;
  contentType: string;
  body: string;
}

export interface CompatScopeOptions {
  /**
   * How this source's clients expect errors: given the problem document the
   * service would send (authentication, admission, bad bodies, refused
   * events), the answer to send instead. Problem+json when absent.
   */
  translateProblem?: (problem: ProblemDetails) => CompatError;
}

/** The body inflated per its Content-Encoding (untrusted), at most `limit` bytes. */
export async function inflateBody(encoding: string | undefined, body: Buffer, limit: number): Promise<Buffer> {
  const coding = (encoding ?? "identity").trim().toLowerCase();
  if (coding === "identity" || coding === "") return body;
  if (coding !== "gzip" && coding !== "x-gzip" && coding !== "deflate") {
    throw new HttpProblem(
      "REQUEST_UNSUPPORTED_MEDIA_TYPE",
      `Content-Encoding ${JSON.stringify(coding.slice(0, 40))} is not supported: send gzip, deflate or none`,
    );
  }
  try {
    return await (coding === "deflate" ? inflateAsync : gunzipAsync)(body, { maxOutputLength: limit });
  } catch (err) {
    if ((err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
      throw new HttpProblem("REQUEST_TOO_LARGE", `the body inflates to more than ${limit} bytes`);
    }
    throw new HttpProblem("REQUEST_INVALID", `the body is not valid ${coding}: ${(err as Error).message}`);
  }
}

/**
 * Registers `routes` in a scope of their own that reads bodies as bytes
 * (request.body is a Buffer, or undefined when none was sent).
 */
export async function registerCompatScope(
  app: FastifyInstance,
  deps: AppDeps,
  options: CompatScopeOptions,
  routes: (scope: FastifyInstance) => void,
): Promise<void> {
  const limit = deps.config.compatMaxBodyBytes;
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      "*",
      { parseAs: "buffer", bodyLimit: limit },
      async (request: FastifyRequest, body: Buffer) => inflateBody(request.headers["content-encoding"], body, limit),
    );
    const translate = options.translateProblem;
    if (translate) {
      scope.addHook("onSend", async (_request, reply, payload) => {
        const type = String(reply.getHeader("content-type") ?? "");
        if (!type.startsWith(PROBLEM_CONTENT_TYPE) || typeof payload !== "string") return payload;
        const answer = translate(JSON.parse(payload) as ProblemDetails);
        reply.code(answer.status).type(answer.contentType);
        return answer.body;
      });
    }
    routes(scope);
  });
}
