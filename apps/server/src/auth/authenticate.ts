// Bearer-key authentication and permission checks for every /v1 route.
// Unknown, malformed and revoked keys all get the same 401, and each failure
// is counted; the key itself is never logged.
import { authenticateApiKey } from "@trailproof/ledger";
import { roleAllows } from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../deps.js";
import { sendProblem } from "../http/problem.js";

export function registerAuthentication(app: FastifyInstance, deps: AppDeps): void {
  const tenantNames = new Map<number, string>();
  const tenantName = async (tenantId: number) => {
    let name = tenantNames.get(tenantId);
    if (name === undefined) {
      for (const t of await deps.ledger.listTenants()) tenantNames.set(t.tenantId, t.name);
      name = tenantNames.get(tenantId);
    }
    return name;
  };

  app.addHook("preHandler", async (request, reply) => {
    const permission = request.routeOptions.config.permission;
    if (permission === undefined) return;
    const header = request.headers.authorization;
    if (header === undefined) {
      deps.metrics.authFailures.inc({ reason: "missing" });
      reply.header("www-authenticate", 'Bearer realm="trailproof"');
      return sendProblem(request, reply, "AUTH_MISSING", "send an API key as Authorization: Bearer <key>");
    }
    const match = /^Bearer ([\x21-\x7e]{1,200})$/.exec(header);
    const record = match ? await authenticateApiKey(deps.access, match[1] as string) : undefined;
    if (!record) {
      deps.metrics.authFailures.inc({ reason: "invalid" });
      reply.header("www-authenticate", 'Bearer realm="trailproof", error="invalid_token"');
      return sendProblem(request, reply, "AUTH_INVALID", "the API key is unknown, malformed or revoked");
    }
    const tenant = record.tenantId === null ? null : await tenantName(record.tenantId);
    request.principal = {
      keyId: record.keyId,
      keyName: record.name,
      role: record.role,
      tenant: tenant ?? null,
      tenantId: record.tenantId,
    };
    if (!roleAllows(record.role, permission)) {
      deps.metrics.authFailures.inc({ reason: "forbidden" });
      return sendProblem(request, reply, "AUTH_FORBIDDEN", `the ${record.role} role may not do this`);
    }
  });
}

/** The caller's tenant; routes that require a tenant permission always have one. */
export function tenantOf(request: { principal?: { tenant: string | null } }): string {
  const tenant = request.principal?.tenant;
  if (!tenant) throw new Error("tenant route reached without a tenant principal");
  return tenant;
}
