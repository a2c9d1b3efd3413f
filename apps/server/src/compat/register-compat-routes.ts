// Drop-in ingest: endpoints that speak other audit and event clients' wire
// formats exactly, so an unmodified client pointed at Trailproof keeps
// working (docs/compat.md). Each source maps its events onto the v1 envelope
// and appends them like POST /v1/events does (ingest/append-events.ts).
import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../deps.js";
import { registerCloudEventsRoutes } from "./cloudevents/cloudevents-routes.js";
import { registerKubernetesRoutes } from "./kubernetes/kubernetes-routes.js";
import { registerOpaRoutes } from "./opa/opa-routes.js";
import { registerOtlpRoutes } from "./otlp/otlp-routes.js";
import { registerRetracedRoutes } from "./retraced/retraced-routes.js";
import { registerWorkOSRoutes } from "./workos/workos-routes.js";

export async function registerCompatRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await registerRetracedRoutes(app, deps);
  await registerWorkOSRoutes(app, deps);
  await registerOtlpRoutes(app, deps);
  await registerCloudEventsRoutes(app, deps);
  await registerOpaRoutes(app, deps);
  await registerKubernetesRoutes(app, deps);
}
