// Seal worker: validates and seals events off the main thread (prepareEvent
// and the leaf hash), with the registry the ledger sends it. Salts and ids
// come from this thread's node:crypto. It never sees the store.
import { parentPort } from "node:worker_threads";
import { ActionRegistry } from "@trailproof/core";
import { nodeHasher } from "../node-hasher.js";
import { type SealOutcome, sealEntry } from "../prepare-entry.js";
import type { SealJob, SealReply } from "./seal-messages.js";

const registries = new Map<string, { version: number; registry: ActionRegistry }>();

function seal(job: SealJob): SealOutcome[] {
  if (job.definitions) {
    registries.set(job.registryKey, { version: job.registryVersion, registry: new ActionRegistry(job.definitions) });
  }
  const cached = registries.get(job.registryKey);
  // Fail closed: sealing with a stale registry could accept what the ledger rejects.
  if (cached?.version !== job.registryVersion) throw new Error(`registry ${job.registryKey} is stale`);
  return job.inputs.map((input, k) =>
    sealEntry(input, {
      registry: cached.registry,
      unknownActions: job.unknownActions,
      hasher: nodeHasher,
      receivedMs: job.receivedMs[k] as number,
      appendedBy: job.appendedBy,
      digestKey: job.digestKey,
      occurredAtBounds: job.occurredAtBounds,
    }),
  );
}

const port = parentPort;
if (port) {
  port.on("message", (job: SealJob) => {
    let reply: SealReply;
    try {
      reply = { id: job.id, outcomes: seal(job) };
    } catch (err) {
      reply = { id: job.id, error: err instanceof Error ? err.message : String(err) };
    }
    port.postMessage(reply);
  });
}
