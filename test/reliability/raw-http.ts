// HTTP/1.1 as bytes on a fresh TCP connection, for requests node:http and
// fetch refuse to send (odd methods, raw bytes in the target, NUL in a header,
// Transfer-Encoding beside Content-Length). The response reader is minimal on
// purpose: status line, headers, and a body framed by Content-Length, chunked
// encoding or the close, which is all the fuzzer judges. Node's own parser is
// internal, and a client library would refuse to send most of these requests.
import { connect } from "node:net";

export interface RawRequest {
  method: string;
  /** The request target exactly as sent (it may hold bytes no client allows). */
  target: string | Buffer;
  /** Header lines in order; a Buffer value is sent as its bytes. */
  headers: [string, string | Buffer][];
  body?: Buffer;
  /** The HTTP version token of the request line. */
  version?: string;
}

export type RawOutcome =
  | { kind: "response"; status: number; headers: Record<string, string>; body: Buffer; ms: number }
  /** The connection closed before any response (or before a whole one), after the whole request was sent. */
  | { kind: "closed"; partial: string; ms: number }
  /**
   * The connection was reset while the request was still being sent, or
   * after it was written but before the service had read all of it: the
   * service answered early and closed (a 413, a 401 before a large body, a
   * GET that reads no body), and the reset that closing with unread bytes
   * causes can discard its answer, whole or in part, before this side reads
   * it. Not observable, so not judged. (A service that read everything and
   * closed sends no reset.)
   */
  | { kind: "reset-while-sending"; ms: number }
  | { kind: "timeout"; partial: string; ms: number };

/** The bytes of `req`; Content-Length is the caller's to add (or to get wrong). */
export function encodeRequest(req: RawRequest): Buffer {
  const head: Buffer[] = [
    Buffer.from(`${req.method} `, "latin1"),
    typeof req.target === "string" ? Buffer.from(req.target, "latin1") : req.target,
    Buffer.from(` ${req.version ?? "HTTP/1.1"}\r\n`, "latin1"),
  ];
  for (const [name, value] of req.headers) {
    head.push(Buffer.from(`${name}: `, "latin1"), typeof value === "string" ? Buffer.from(value, "latin1") : value);
    head.push(Buffer.from("\r\n"));
  }
  head.push(Buffer.from("\r\n"));
  return Buffer.concat([...head, req.body ?? Buffer.alloc(0)]);
}

/** Parses one response from `data`; undefined while it is incomplete. `head` is true for a HEAD request. */
export function parseResponse(
  data: Buffer,
  head: boolean,
  closed: boolean,
): { status: number; headers: Record<string, string>; body: Buffer } | undefined {
  const end = data.indexOf("\r\n\r\n");
  if (end < 0) return undefined;
  const lines = data.subarray(0, end).toString("latin1").split("\r\n");
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "");
  if (!status) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  const code = Number(status[1]);
  const rest = data.subarray(end + 4);
  // An interim answer (100 Continue to Expect) precedes the real one.
  if (code >= 100 && code < 200 && code !== 101) return parseResponse(rest, head, closed);
  if (head || code === 204 || code === 304 || code === 101) {
    return { status: code, headers, body: Buffer.alloc(0) };
  }
  if (/\bchunked\b/i.test(headers["transfer-encoding"] ?? "")) {
    const chunks: Buffer[] = [];
    let at = 0;
    for (;;) {
      const lineEnd = rest.indexOf("\r\n", at);
      if (lineEnd < 0) return undefined;
      const size = Number.parseInt(rest.subarray(at, lineEnd).toString("latin1"), 16);
      if (Number.isNaN(size)) return { status: code, headers, body: Buffer.concat(chunks) };
      if (size === 0) return { status: code, headers, body: Buffer.concat(chunks) };
      if (rest.length < lineEnd + 2 + size + 2) return undefined;
      chunks.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
  const length = headers["content-length"];
  if (length !== undefined) {
    const n = Number(length);
    if (rest.length < n) return undefined;
    return { status: code, headers, body: rest.subarray(0, n) };
  }
  // Neither: the body runs to the close.
  return closed ? { status: code, headers, body: rest } : undefined;
}

const WRITE_CHUNK = 64 * 1024;

/**
 * Sends `bytes` on a new connection to `url`'s host and port, and reads one
 * response. Large requests go in chunks, and sending stops once an answer
 * starts arriving.
 */
export function sendRaw(
  url: string,
  bytes: Buffer,
  options: { deadlineMs: number; head: boolean },
): Promise<RawOutcome> {
  const { hostname, port } = new URL(url);
  const t0 = performance.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    let sent = false;
    let reset = false;
    const socket = connect({ host: hostname, port: Number(port) });
    const finish = (outcome: RawOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const ms = () => Math.round(performance.now() - t0);
    const partial = () => Buffer.concat(chunks).subarray(0, 300).toString("latin1");
    const timer = setTimeout(() => finish({ kind: "timeout", partial: partial(), ms: ms() }), options.deadlineMs);
    const attempt = (closed: boolean) => {
      const parsed = parseResponse(Buffer.concat(chunks), options.head, closed);
      if (parsed) finish({ kind: "response", ...parsed, ms: ms() });
      else if (closed && (!sent || reset)) finish({ kind: "reset-while-sending", ms: ms() });
      else if (closed) finish({ kind: "closed", partial: partial(), ms: ms() });
    };
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      attempt(false);
    });
    // A reset after the response arrived is the server closing a bad connection: the response counts.
    socket.on("error", (err: NodeJS.ErrnoException) => {
      reset = err.code === "ECONNRESET";
      attempt(true);
    });
    socket.on("close", () => attempt(true));
    socket.on("connect", async () => {
      for (let at = 0; at < bytes.length && !settled && chunks.length === 0; at += WRITE_CHUNK) {
        const ok = socket.write(bytes.subarray(at, at + WRITE_CHUNK));
        if (!ok) await new Promise((resolve) => socket.once("drain", resolve).once("close", resolve));
      }
      sent = !socket.destroyed;
    });
  });
}
