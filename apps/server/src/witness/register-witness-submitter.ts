// Wires the cosignature submitter into the app: its metrics on the service's
// registry, started when the app is ready and stopped (its round finished)
// when it closes. With no witness configured it does nothing.
import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../deps.js";
import { CosignatureSubmitter } from "./cosignature-submitter.js";
import { createWitnessMetrics } from "./witness-metrics.js";

export function registerWitnessSubmitter(app: FastifyInstance, deps: AppDeps): CosignatureSubmitter | undefined {
  const { witnesses, witnessIntervalMs } = deps.config;
  if (witnesses.length === 0) return undefined;
  const submitter = new CosignatureSubmitter({
    ledger: deps.ledger,
    cosignatures: deps.cosignatures,
    witnesses,
    metrics: createWitnessMetrics(deps.metrics.registry),
    log: app.log,
    intervalMs: witnessIntervalMs,
  });
  app.addHook("onReady", async () => submitter.start());
  app.addHook("onClose", async () => submitter.stop());
  return submitter;
}
