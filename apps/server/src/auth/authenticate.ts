// Authentication and permission checks for every /v1 route: a bearer API key
// (`tpk_`), a bearer platform key (`tpp_`: role ingest, no tenant of its own,
// the tenant chosen per request), a bearer viewer token (`tpv_`, embeddable
// read routes only), or
// the console's session cookie (state-changing requests must echo the CSRF
// token). Unknown, malformed, expired and revoked credentials all get the
// same 401, each failure is counted, and no credential is ever logged.
import { authenticateApiKey, authenticatePlatformKey, isPlatformKey } from "@trailproof/ledger";
import { roleAllows } from "@trailproof/protocol";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AppDeps } from "../deps.js";
import { sendProblem } from "../http/problem.js";
import type { Principal } from "./principal.js";
import { findLiveSession, SESSION_COOKIE } from "./sessions.js";
import { authenticateViewerToken, isViewerToken } from "./viewer-tokens.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function registerAuthentication(app: FastifyInstance, deps: AppDeps): void {
  const tenantNames = new Map<number, string>();
  const tenantName = async (tenantId: number) => {
    let name = tenantNames.get(tenantId);
    if (name === undefined) {
      for (const t of await deps.ledger.listTenants()) tenantNames.set(t.tenantId, t.name);
      name = tenantNames.get(tenantId);
    }
    return name ?? null;
  };

  const resolve = async (request: FastifyRequest): Promise<Principal | "invalid" | undefined> => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const presented = credentialIn(header, request.routeOptions.config.credentialFrom);
      if (presented === undefined) return "invalid";
      if (isViewerToken(presented)) {
        const token = await authenticateViewerToken(deps.people, presented);
        if (!token) return "invalid";
        return {
          id: `viewer:${token.tokenId}`,
          actor: { type: "user", id: token.viewerId, ...(token.viewerName ? { name: token.viewerName } : {}) },
          role: "viewer",
          via: "viewer_token",
          tenant: await tenantName(token.tenantId),
          tenantId: token.tenantId,
          pinnedFilter: token.filter,
        };
      }
      if (isPlatformKey(presented)) {
        const key = await authenticatePlatformKey(deps.access, presented);
        if (!key) return "invalid";
        // Appends only, to the tenant each request names (compat/choose-tenant.ts); reads nothing.
        return {
          id: key.keyId,
          actor: { type: "service_account", id: `platformkey:${key.keyId}`, name: key.name },
          role: "ingest",
          via: "api_key",
          tenant: null,
          tenantId: null,
          platform: { tenants: key.tenants, createTenants: key.createTenants },
        };
      }
      const key = await authenticateApiKey(deps.access, presented);
      if (!key) return "invalid";
      return {
        id: key.keyId,
        actor: { type: "service_account", id: `apikey:${key.keyId}`, name: key.name },
        role: key.role,
        via: "api_key",
        tenant: key.tenantId === null ? null : await tenantName(key.tenantId),
        tenantId: key.tenantId,
      };
    }
    const cookie = request.cookies?.[SESSION_COOKIE];
    if (cookie === undefined) return undefined;
    const session = await findLiveSession(deps.people, cookie);
    const person = session && (await deps.people.findPerson(session.tenantId, session.username));
    if (!session || !person || person.disabledAt !== null) return "invalid";
    return {
      id: `person:${person.username}`,
      actor: { type: "user", id: person.username, name: person.displayName },
      role: person.role,
      via: "session",
      tenant: await tenantName(person.tenantId),
      tenantId: person.tenantId,
      csrfToken: session.csrfToken,
    };
  };

  // onRequest: a caller without a valid credential is refused before its body is read or validated.
  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
    const config = request.routeOptions.config;
    const permission = config.permission;
    if (permission === undefined) {
      if (config.identify === true) {
        const principal = await resolve(request);
        if (principal !== undefined && principal !== "invalid") request.principal = principal;
      }
      return;
    }
    const principal = await resolve(request);
    if (principal === undefined) {
      deps.metrics.authFailures.inc({ reason: "missing" });
      reply.header("www-authenticate", 'Bearer realm="trailproof"');
      return sendProblem(request, reply, "AUTH_MISSING", "send an API key as Authorization: Bearer <key>, or sign in");
    }
    if (principal === "invalid") {
      deps.metrics.authFailures.inc({ reason: "invalid" });
      reply.header("www-authenticate", 'Bearer realm="trailproof", error="invalid_token"');
      return sendProblem(request, reply, "AUTH_INVALID", "the credential is unknown, malformed, expired or revoked");
    }
    request.principal = principal;
    if (principal.via === "session" && !SAFE_METHODS.has(request.method)) {
      if (request.headers["x-csrf-token"] !== principal.csrfToken) {
        deps.metrics.authFailures.inc({ reason: "csrf" });
        return sendProblem(
          request,
          reply,
          "AUTH_CSRF",
          "state-changing requests from the console must send x-csrf-token",
        );
      }
    }
    const allowed =
      principal.via === "viewer_token"
        ? config.embeddable === true
        : roleAllows(principal.role, permission) || (config.operatorToo === true && principal.role === "operator");
    if (!allowed) {
      deps.metrics.authFailures.inc({ reason: "forbidden" });
      return sendProblem(request, reply, "AUTH_FORBIDDEN", `the ${principal.role} role may not do this`);
    }
  });
}

/**
 * The credential an Authorization header (untrusted) carries: `Bearer <key>`
 * (the scheme is case-insensitive, RFC 9110 section 11.1), or what the
 * route's own `credentialFrom` finds; undefined when it holds none.
 */
function credentialIn(header: string, credentialFrom?: (authorization: string) => string | undefined) {
  const presented = credentialFrom ? credentialFrom(header) : /^Bearer ([\x21-\x7e]{1,200})$/i.exec(header)?.[1];
  return presented !== undefined && /^[\x21-\x7e]{1,200}$/.test(presented) ? presented : undefined;
}

/**
 * The caller's tenant; routes that require a tenant permission always have
 * one, but for `append`: a platform key has none of its own, so append routes
 * take theirs from compat/choose-tenant.ts chooseTenant instead.
 */
export function tenantOf(request: { principal?: { tenant: string | null } }): string {
  const tenant = request.principal?.tenant;
  if (!tenant) throw new Error("tenant route reached without a tenant principal");
  return tenant;
}
