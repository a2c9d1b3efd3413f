// Who is calling: resolved once per request from a bearer API key, a
// console session cookie, or an embedded viewer token; every route reads its
// tenant from here, never from the URL, so one tenant's credential cannot
// even name another tenant's data. The same principal names the appender of
// what it appends (appended_by, log format v2).
import type { AppendedBy } from "@trailproof/core";
import type { Permission, Role } from "@trailproof/protocol";

export interface Principal {
  /** Stable id of the credential: key id, `person:<username>` or `viewer:<token id>`. */
  id: string;
  /** How the meta-audit names the caller. */
  actor: { type: "service_account" | "user"; id: string; name?: string };
  role: Role;
  via: "api_key" | "session" | "viewer_token";
  /** null for the operator credential. */
  tenant: string | null;
  tenantId: number | null;
  /** Sessions: the token every state-changing request must echo in x-csrf-token. */
  csrfToken?: string;
  /** Viewer tokens: search parameters always applied to reads. */
  pinnedFilter?: Record<string, string>;
  /**
   * Platform keys (role ingest, no tenant of their own): the tenants the key
   * may append to, chosen per request (compat/choose-tenant.ts), and whether
   * a tenant it names that does not exist yet is created on first use.
   */
  platform?: PlatformScope;
}

export interface PlatformScope {
  tenants: "all" | readonly string[];
  createTenants: boolean;
}

/**
 * appended_by for events this principal appends: the API key's id (never its
 * secret) or the signed-in person's username. Taken from the credential the
 * request authenticated with, never from the request body. Viewer tokens
 * cannot append; asking for their appender is a bug.
 */
export function appenderOf(principal: Principal | undefined): AppendedBy {
  if (!principal) throw new Error("an append reached without a principal");
  switch (principal.via) {
    case "api_key":
      return { type: "api_key", id: principal.id };
    case "session":
      return { type: "person", id: principal.actor.id };
    default:
      throw new Error(`a ${principal.via} principal cannot append`);
  }
}

declare module "fastify" {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** The permission a route requires; routes without one are public (health, docs, console). */
    permission?: Permission;
    /** A public route that reads the caller's credential if one is valid, and never refuses (whoami). */
    identify?: boolean;
    /** Viewer tokens may call this route (read-only event views). */
    embeddable?: boolean;
    /** The operator may call this tenant route too, naming the tenant in its URL (a prune run). */
    operatorToo?: boolean;
    /** The route reads the search projection: it takes `min_index` (routes/read-your-writes.ts). */
    readsSearch?: boolean;
    /** The route appends events: admission control may refuse it before its body is read (http/ingest-admission.ts). */
    ingest?: boolean;
    /**
     * The credential in this route's Authorization header (untrusted), for
     * compat endpoints whose clients do not send `Bearer <key>` (Retraced's
     * `token=<key>`); undefined when the header holds none.
     */
    credentialFrom?: (authorization: string) => string | undefined;
    /**
     * Compat routes whose clients expect errors in their own convention: the
     * media types this route's error answers carry instead of problem+json
     * (WorkOS's JSON, OTLP's Status). The reliability suites read it from the
     * route table.
     */
    errorMediaTypes?: readonly string[];
  }
}
