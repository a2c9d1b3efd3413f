// OPA decision logs: not built yet.
import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../../deps.js";

export async function registerOpaRoutes(_app: FastifyInstance, _deps: AppDeps): Promise<void> {}
