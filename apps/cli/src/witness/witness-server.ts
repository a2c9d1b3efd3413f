// The witness's HTTP service (node:http, no framework: one route): POST
// /add-checkpoint per C2SP tlog-witness, with keep-alive, a bounded body and
// plain-text answers. Anything else is 404 (unknown path) or 405 (other method).
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { Witness, WitnessAnswer } from "./add-checkpoint.js";

/** A checkpoint with many signatures and 63 proof lines fits well below this. */
const MAX_BODY_BYTES = 64 * 1024;

export function createWitnessServer(witness: Witness, onError: (err: unknown) => void): Server {
  return createServer({ keepAlive: true }, (req, res) => {
    const send = (a: WitnessAnswer) => {
      res.writeHead(a.status, { "content-type": a.contentType, "content-length": Buffer.byteLength(a.body) });
      res.end(a.body);
    };
    const url = new URL(req.url ?? "/", "http://witness");
    if (url.pathname !== "/add-checkpoint") {
      send(text(404, "not found: this witness serves POST /add-checkpoint"));
      req.resume();
      return;
    }
    if (req.method !== "POST") {
      res.setHeader("allow", "POST");
      send(text(405, "add-checkpoint takes POST"));
      req.resume();
      return;
    }
    readBody(req)
      .then(
        async (body) => {
          if (body === undefined) return send(text(413, `the body exceeds ${MAX_BODY_BYTES} bytes`));
          if (body === null) return send(text(400, "the body is not UTF-8"));
          send(await witness.addCheckpoint(body));
        },
        (err: unknown) => {
          onError(err);
          if (!res.headersSent) send(text(500, "the witness failed; nothing was cosigned"));
        },
      )
      .catch(onError);
  });
}

function text(status: number, message: string): WitnessAnswer {
  return { status, contentType: "text/plain; charset=utf-8", body: `${message}\n` };
}

/** The body as UTF-8; undefined when too large, null when not UTF-8. */
async function readBody(req: IncomingMessage): Promise<string | undefined | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    // Read to the end (a broken-off read would reset the connection before the answer), kept only while small.
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  if (size > MAX_BODY_BYTES) return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    return null;
  }
}
