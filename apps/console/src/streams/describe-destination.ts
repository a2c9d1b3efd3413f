// Where a stream sends, for people: the type and the host, port, servers
// and subject, or a webhook's origin. Never a secret, and never a webhook
// URL's path or query (a chat webhook's path is its credential), as the
// server's own stream.* events record it.
import type { WireStream } from "@trailproof/protocol";

export function describeDestination(d: WireStream["destination"]): { type: string; where: string } {
  switch (d.type) {
    case "syslog":
      return { type: d.tls ? "syslog (TLS)" : "syslog (TCP)", where: `${d.host}:${d.port}` };
    case "nats":
      return { type: "NATS", where: `${d.servers.map(origin).join(", ")} → ${d.subject}` };
    case "webhook":
      return { type: "webhook", where: origin(d.url) };
  }
}

/** scheme://host:port of a URL, dropping user, password, path and query. */
function origin(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return "(not a URL)";
  }
}
