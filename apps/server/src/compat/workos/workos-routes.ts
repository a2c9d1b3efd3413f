// WorkOS audit logs (`@workos-inc/node`): not built yet.
import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../../deps.js";

export async function registerWorkOSRoutes(_app: FastifyInstance, _deps: AppDeps): Promise<void> {}
