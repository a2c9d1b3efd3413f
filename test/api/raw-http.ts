// HTTP/1.1 over a raw node:net socket, for requests no HTTP client will send:
// malformed framing, bytes that are not UTF-8, and clients that trickle.
// Reads until the server closes the connection (or `closeAfterMs` passes).
import { connect, type Socket } from "node:net";

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** From connecting to the server closing the connection. */
  closedAfterMs: number;
}

export interface RawExchange {
  /** Written in order; with `gapMs`, one piece every gapMs until the server closes. */
  pieces: (string | Uint8Array)[];
  gapMs?: number;
  /** Fails the exchange when the server has not closed the connection by then. */
  closeAfterMs?: number;
}

/** Splits `text` into pieces of `size` characters, for trickling. */
export function piecesOf(text: string, size = 1): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function dechunk(body: string): string {
  let out = "";
  let rest = body;
  for (;;) {
    const eol = rest.indexOf("\r\n");
    const size = Number.parseInt(rest.slice(0, eol), 16);
    if (!(size > 0)) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
}

/** The first response on the connection; the raw bytes are decoded as UTF-8 (responses are JSON). */
function parseResponse(raw: Buffer, closedAfterMs: number): RawResponse {
  const text = raw.toString("utf8");
  const end = text.indexOf("\r\n\r\n");
  if (end < 0) return { status: 0, headers: {}, body: text, closedAfterMs };
  const [statusLine = "", ...lines] = text.slice(0, end).split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = text.slice(end + 4);
  if (headers["transfer-encoding"] === "chunked") body = dechunk(body);
  else if (headers["content-length"] !== undefined) {
    body = Buffer.from(body).subarray(0, Number(headers["content-length"])).toString("utf8");
  }
  return { status: Number(statusLine.split(" ")[1]), headers, body, closedAfterMs };
}

/** Sends `pieces` to 127.0.0.1:`port` and resolves with the response once the server closes. */
export function rawExchange(port: number, { pieces, gapMs, closeAfterMs = 10_000 }: RawExchange): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    let next = 0;
    let timer: NodeJS.Timeout | undefined;
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${closeAfterMs} ms`));
    }, closeAfterMs);
    const writeNext = () => {
      if (socket.destroyed || next >= pieces.length) return;
      socket.write(pieces[next++] as string | Uint8Array, () => undefined);
      if (gapMs === undefined) writeNext();
      else timer = setTimeout(writeNext, gapMs);
    };
    socket.on("connect", writeNext);
    socket.on("data", (chunk) => chunks.push(chunk));
    // The server may reset rather than close once it has answered; the answer is what counts.
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(giveUp);
      clearTimeout(timer);
      resolve(parseResponse(Buffer.concat(chunks), Date.now() - started));
    });
  });
}

/** A complete request: `Connection: close`, and Content-Length from the body unless `headers` frame it. */
export function rawRequest(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string | Uint8Array,
): Uint8Array {
  const bytes = body === undefined ? new Uint8Array() : typeof body === "string" ? Buffer.from(body) : body;
  const all: Record<string, string> = { host: "127.0.0.1", connection: "close", ...headers };
  if (body !== undefined && all["transfer-encoding"] === undefined && all["content-length"] === undefined) {
    all["content-length"] = String(bytes.length);
  }
  const head = `${method} ${path} HTTP/1.1\r\n${Object.entries(all)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("")}\r\n`;
  return Buffer.concat([Buffer.from(head, "latin1"), bytes]);
}

/**
 * Opens a connection and sends the head of a POST /v1/events that declares
 * `contentLength` body bytes and sends none: the service holds them against
 * its in-flight byte budget until the socket is destroyed.
 */
export async function holdDeclaredBody(port: number, key: string, contentLength: number): Promise<Socket> {
  const held = connect(port, "127.0.0.1");
  await new Promise<void>((resolve) => held.on("connect", resolve));
  held.write(
    rawRequest("POST", "/v1/events", {
      authorization: `Bearer ${key}`,
      "content-type": "application/json",
      "content-length": String(contentLength),
    }),
  );
  return held;
}
