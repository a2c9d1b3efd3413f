// Answers what Node's HTTP parser refuses before any route runs (a bad
// request line, Transfer-Encoding with Content-Length, a bad chunk size, NUL
// in a header, headers too large, a request too slow) with problem+json, like
// every other error. There is no request object then (Node's 'clientError'),
// so the answer is written on the raw socket, which is then closed: after a
// framing error nothing later on the connection can be trusted.
import { randomUUID } from "node:crypto";
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { ErrorCode } from "@trailproof/core";
import { PROBLEM_CONTENT_TYPE } from "@trailproof/protocol";
import type { FastifyBaseLogger } from "fastify";
import { buildProblem } from "./problem.js";

export interface ClientErrorOptions {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** Node's limit on the request line and headers together (http.maxHeaderSize). */
  maxHeaderBytes: number;
}

const BOTH_FRAMINGS =
  "the request has both Transfer-Encoding and Content-Length, which RFC 9112 section 6.1 forbids: the body could be framed two ways (request smuggling)";

/** What llhttp's error codes mean to the sender; anything else is "not valid HTTP/1.1". */
const PARSER_ERRORS: Readonly<Record<string, string>> = {
  HPE_INVALID_METHOD: "the request line does not start with an HTTP method",
  HPE_INVALID_URL: "the request target holds a character a URL path may not hold",
  HPE_INVALID_VERSION: "the request line does not end with HTTP/1.0 or HTTP/1.1",
  HPE_INVALID_CONSTANT: "the request line or a header is not valid HTTP/1.1",
  HPE_INVALID_HEADER_TOKEN:
    "a header name or value holds a character HTTP does not allow there (such as NUL or another control character)",
  HPE_INVALID_CONTENT_LENGTH: "Content-Length is not a single decimal number",
  HPE_UNEXPECTED_CONTENT_LENGTH:
    "Content-Length is given twice or alongside Transfer-Encoding: the body could be framed two ways",
  HPE_INVALID_TRANSFER_ENCODING: "Transfer-Encoding must end with chunked",
  HPE_INVALID_CHUNK_SIZE: "a chunk size is not a hexadecimal number",
  HPE_STRICT: "the request breaks HTTP/1.1 framing",
  HPE_CR_EXPECTED: "a line does not end with CRLF",
  HPE_LF_EXPECTED: "a line does not end with CRLF",
};

/**
 * The parser's own words: llhttp's reasons are fixed strings ("Invalid
 * header value char"), never request bytes; anything else is left out.
 */
function parserReason(err: NodeJS.ErrnoException & { reason?: unknown }): string | undefined {
  const { reason } = err;
  return typeof reason === "string" && /^[\x20-\x7e]{1,120}$/.test(reason) ? reason : undefined;
}

function problemFor(
  err: NodeJS.ErrnoException & { reason?: unknown },
  options: ClientErrorOptions,
): { code: ErrorCode; detail: string } {
  switch (err.code) {
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return {
        code: "REQUEST_TIMEOUT",
        detail: `the request was not received in time: the request line and headers must arrive within ${options.headersTimeoutMs} ms, and the whole request within ${options.requestTimeoutMs} ms`,
      };
    case "HPE_HEADER_OVERFLOW":
      return {
        code: "REQUEST_HEADERS_TOO_LARGE",
        detail: `the request line and headers are larger than ${options.maxHeaderBytes} bytes`,
      };
    case "HPE_CHUNK_EXTENSIONS_OVERFLOW":
      return { code: "REQUEST_TOO_LARGE", detail: "the chunk extensions of the body are too large" };
    default: {
      const reason = parserReason(err);
      const known =
        err.code === "HPE_INVALID_TRANSFER_ENCODING" && reason?.includes("Content-Length")
          ? BOTH_FRAMINGS
          : err.code === undefined
            ? undefined
            : PARSER_ERRORS[err.code];
      const said = reason === undefined ? "" : ` (HTTP parser: ${reason})`;
      return { code: "REQUEST_INVALID", detail: `${known ?? "the request is not valid HTTP/1.1"}${said}` };
    }
  }
}

/** The raw response: status line, headers, body; the connection closes after it. */
export function rawResponse(body: ReturnType<typeof buildProblem>): string {
  const json = JSON.stringify(body);
  return [
    `HTTP/1.1 ${body.status} ${STATUS_CODES[body.status] ?? "Error"}`,
    `content-type: ${PROBLEM_CONTENT_TYPE}`,
    `content-length: ${Buffer.byteLength(json)}`,
    "cache-control: no-store",
    "x-content-type-options: nosniff",
    `x-request-id: ${body.request_id}`,
    "connection: close",
    "",
    json,
  ].join("\r\n");
}

/** Node's 'clientError' listener: `err` comes from the parser or a timeout, on a connection from anyone. */
export function buildClientErrorHandler(
  options: ClientErrorOptions,
  log: () => FastifyBaseLogger,
): (err: NodeJS.ErrnoException, socket: Socket) => void {
  return (err, socket) => {
    // A reset connection has nobody left to answer; a second error on a
    // socket already answered (the peer closing, say) is not answered again.
    if (err.code === "ECONNRESET" || socket.destroyed || !socket.writable) {
      socket.destroy();
      return;
    }
    // As Node's own handler: once a response has started on this connection,
    // a problem written now would corrupt it, so the connection just closes.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const requestId = randomUUID();
    const { code, detail } = problemFor(err, options);
    log().debug({ code, parserError: err.code, request_id: requestId }, "refused before routing");
    socket.end(rawResponse(buildProblem(code, detail, { requestId })), () => socket.destroy());
  };
}
