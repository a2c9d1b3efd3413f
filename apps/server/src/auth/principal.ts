// Who is calling: resolved once per request from the bearer key, then every
// route reads its tenant from here, never from the URL, so one tenant's key
// cannot even name another tenant's data.
import type { Permission, Role } from "@trailproof/protocol";

export interface Principal {
  keyId: string;
  keyName: string;
  role: Role;
  /** null for the operator credential. */
  tenant: string | null;
  tenantId: number | null;
}

declare module "fastify" {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** The permission a route requires; routes without one are public (health, docs). */
    permission?: Permission;
  }
}
