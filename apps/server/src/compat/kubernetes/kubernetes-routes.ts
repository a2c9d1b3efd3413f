// Kubernetes audit webhook: not built yet.
import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../../deps.js";

export async function registerKubernetesRoutes(_app: FastifyInstance, _deps: AppDeps): Promise<void> {}
