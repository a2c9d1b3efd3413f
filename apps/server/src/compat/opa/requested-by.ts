// OPA's requested_by is the remote address of the caller that asked for the
// decision, as Go's net/http gives it: `ip:port`, or `[ipv6]:port`
// (e.g. `[::1]:59943`). Untrusted: anything else yields no address.
import { isIP } from "node:net";

/** The IP address in `requestedBy`, without its port and brackets; undefined when it holds none. */
export function ipOfRequestedBy(requestedBy: string | undefined): string | undefined {
  if (requestedBy === undefined) return undefined;
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(requestedBy);
  if (bracketed) {
    // A zone (fe80::1%eth0) is no part of the address the envelope records.
    const ip = (bracketed[1] as string).split("%")[0] as string;
    return isIP(ip) === 6 ? ip : undefined;
  }
  if (isIP(requestedBy) !== 0) return requestedBy;
  const hostPort = /^([^:]+):\d{1,5}$/.exec(requestedBy);
  return hostPort && isIP(hostPort[1] as string) === 4 ? hostPort[1] : undefined;
}
