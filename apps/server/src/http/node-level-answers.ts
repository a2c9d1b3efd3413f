// What Node's HTTP server would otherwise answer on its own, outside any
// route and not as problem+json: a request without Host (an empty 400), an
// Expect header other than 100-continue (an empty 417), and CONNECT (the
// connection dropped without a word). Each gets a problem document.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { ErrorCode } from "@trailproof/core";
import { PROBLEM_CONTENT_TYPE } from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import { rawResponse } from "./client-error.js";
import { buildProblem, HttpProblem } from "./problem.js";

function answer(res: ServerResponse, code: ErrorCode, detail: string): void {
  const body = buildProblem(code, detail, { requestId: randomUUID() });
  res.writeHead(body.status, { "content-type": PROBLEM_CONTENT_TYPE, connection: "close" });
  res.end(JSON.stringify(body));
}

/** Requires the server to be created with requireHostHeader: false (connection-limits.ts), so the hook answers instead. */
export function registerNodeLevelAnswers(app: FastifyInstance): void {
  app.addHook("onRequest", async (request) => {
    if (request.raw.headers.host === undefined && request.raw.httpVersionMinor === 1) {
      throw new HttpProblem("REQUEST_INVALID", "an HTTP/1.1 request must carry a Host header (RFC 9112, section 3.2)");
    }
  });
  app.server.on("checkExpectation", (_req: IncomingMessage, res: ServerResponse) =>
    answer(res, "REQUEST_EXPECTATION_FAILED", "the only expectation this service meets is Expect: 100-continue"),
  );
  app.server.on("connect", (_req: IncomingMessage, socket: Duplex) => {
    const body = buildProblem("REQUEST_METHOD_NOT_ALLOWED", "this service is not a proxy: CONNECT is not supported", {
      requestId: randomUUID(),
    });
    socket.end(rawResponse(body), () => socket.destroy());
  });
}
