// Opens the connection a syslog destination writes to: plain TCP (RFC 6587)
// or TLS (RFC 5425, TLS 1.2 or later), the server's certificate checked
// against `ca_pem` or the system's roots and against `server_name` or host.
import { isIP, type Socket, connect as tcpConnect } from "node:net";
import { connect as tlsConnect } from "node:tls";
import type { TrailproofError } from "@trailproof/core";
import type { SyslogDestinationConfig } from "../../stream-types.js";
import { destinationFailed } from "./destination-failed.js";

/** How often TCP probes an idle connection, so a receiver that vanished without a FIN is noticed. */
const KEEPALIVE_MS = 15_000;

/**
 * Resolves with a connected socket (TLS: handshake done, certificate
 * verified), reading and discarding anything the receiver sends so its FIN
 * is seen. Rejects with STREAM_DESTINATION_FAILED on refusal, a failed
 * handshake or after `timeoutMs`; the socket is destroyed then.
 */
export function openSyslogSocket(config: SyslogDestinationConfig, timeoutMs: number): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const where = `${config.host}:${config.port}`;
    const socket: Socket = config.tls
      ? tlsConnect({
          host: config.host,
          port: config.port,
          ca: config.ca_pem,
          // SNI is for names only (RFC 6066); an IP host is checked against the certificate's IP SANs.
          servername: config.server_name ?? (isIP(config.host) === 0 ? config.host : undefined),
          minVersion: "TLSv1.2",
        })
      : tcpConnect({ host: config.host, port: config.port });
    const fail = (err: unknown) => {
      clearTimeout(timer);
      socket.destroy();
      const failure: TrailproofError = destinationFailed(`connect to ${where}`, err);
      reject(failure);
    };
    const timer = setTimeout(() => fail(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    socket.once("error", fail);
    socket.once(config.tls ? "secureConnect" : "connect", () => {
      clearTimeout(timer);
      socket.off("error", fail);
      socket.setKeepAlive(true, KEEPALIVE_MS);
      socket.resume();
      resolve(socket);
    });
  });
}
