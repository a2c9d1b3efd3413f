// OpenTelemetry logs over OTLP/HTTP: not built yet.
import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../../deps.js";

export async function registerOtlpRoutes(_app: FastifyInstance, _deps: AppDeps): Promise<void> {}
