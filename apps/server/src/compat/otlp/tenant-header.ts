// The tenant a compat request names in a header (untrusted): clients whose
// payloads name none (or whose senders cannot change them) name it with
// X-Trailproof-Tenant, or X-Tenant as collectors are often configured.
// chooseTenant decides whether the credential may append there. Shared by
// the OTLP and CloudEvents endpoints.
import type { IncomingHttpHeaders } from "node:http";

export const TENANT_HEADERS = ["x-trailproof-tenant", "x-tenant"] as const;

/** The tenant the headers name, X-Trailproof-Tenant first; undefined when neither is sent. */
export function tenantFromHeaders(headers: IncomingHttpHeaders): string | undefined {
  for (const name of TENANT_HEADERS) {
    const value = headers[name];
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first.trim() !== "") return first.trim();
  }
  return undefined;
}
