// Closes a pooled keep-alive connection before the server does. Node's Agent
// reads the server's `Keep-Alive: timeout=N` but applies it only to lower its
// own `timeout` option: an agent built without one (`new Agent({ keepAlive:
// true })`, as the bench's are) keeps an idle socket for ever, and when load
// rises again it reuses one just as the server closes it, so the request
// fails with `read ECONNRESET` (Node's lib/_http_agent.js keepSocketAlive).
// RFC 9112 section 9.3.1: either side may close an idle connection, so
// avoiding that race is the client's part; undici (fetch, the SDK) already
// closes 2 s early.
import type { Agent, ClientRequest } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";

/** An idle socket closes this long before the server said it would: Node's own margin for the hint. */
export const KEEP_ALIVE_MARGIN_MS = 1000;

/** Per pooled socket, its idle limit from the hint of the last response it carried. */
const idleLimitMs = new WeakMap<Socket, number>();
const wrapped = new WeakSet<Agent>();

/** The idle limit for a `Keep-Alive` header; undefined without a usable timeout (Node's own rules then stand). */
export function idleLimitFor(header: string | string[] | undefined): number | undefined {
  const seconds = /^timeout=(\d+)/.exec(String(header ?? ""))?.[1];
  const limitMs = seconds === undefined ? 0 : Number(seconds) * 1000 - KEEP_ALIVE_MARGIN_MS;
  return limitMs > 0 ? limitMs : undefined;
}

/**
 * Makes `agent` close each socket `req` goes out on once it has sat idle in
 * the pool for the server's announced timeout less KEEP_ALIVE_MARGIN_MS.
 * The timer keeps running while the socket is reused; Node's agent destroys
 * only a pooled socket on it, and the bench sets no 'timeout' listener on a
 * request, so a slow answer is not cut short.
 */
export function closeIdleBeforeServer(agent: Agent, req: ClientRequest): void {
  if (!wrapped.has(agent)) {
    wrapped.add(agent);
    // Node documents keepSocketAlive as the method to override; it returns whether to pool the socket.
    const keepSocketAlive = agent.keepSocketAlive.bind(agent) as unknown as (socket: Duplex) => boolean;
    agent.keepSocketAlive = (socket: Duplex) => {
      const kept = keepSocketAlive(socket);
      const pooled = socket as Socket;
      const limitMs = idleLimitMs.get(pooled);
      if (kept && limitMs !== undefined && !(pooled.timeout && pooled.timeout <= limitMs)) pooled.setTimeout(limitMs);
      return kept;
    };
  }
  req.once("response", (res) => {
    const limitMs = idleLimitFor(res.headers["keep-alive"]);
    if (limitMs === undefined) idleLimitMs.delete(res.socket);
    else idleLimitMs.set(res.socket, limitMs);
  });
}
