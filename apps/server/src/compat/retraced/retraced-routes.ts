// Retraced publisher API (`@retracedhq/retraced`): not built yet.
import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../../deps.js";

export async function registerRetracedRoutes(_app: FastifyInstance, _deps: AppDeps): Promise<void> {}
