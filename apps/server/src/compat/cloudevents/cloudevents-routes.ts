// CloudEvents 1.0 over HTTP: not built yet.
import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../../deps.js";

export async function registerCloudEventsRoutes(_app: FastifyInstance, _deps: AppDeps): Promise<void> {}
