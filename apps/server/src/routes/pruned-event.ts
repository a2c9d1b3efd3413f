// The 410 Gone answer for an event whose body retention pruned
// (docs/retention.md): problem+json EVENT_PRUNED with what still proves the
// event was in the log: its index, its leaf hash, the retention.prune
// event's index, and an inclusion proof against the latest checkpoint.
import { toBase64 } from "@trailproof/core";
import type { StoredEntry } from "@trailproof/ledger";
import type { FastifyRequest } from "fastify";
import type { AppDeps } from "../deps.js";
import { buildProblem } from "../http/problem.js";
import { proofIn } from "./signed-checkpoint.js";

export async function prunedProblem(deps: AppDeps, request: FastifyRequest, tenant: string, entry: StoredEntry) {
  const { ledger } = deps;
  const record = await ledger.tenantRecord(tenant);
  const range = (await ledger.store.readPrunedRanges(record.tenantId)).find(
    (r) => r.start <= entry.index && entry.index < r.end,
  );
  const checkpoint = await ledger.store.latestCheckpoint(record.tenantId);
  const leafHash = toBase64(entry.leafHash);
  const proof =
    checkpoint && checkpoint.treeSize > entry.index ? await proofIn(ledger, tenant, entry, checkpoint) : undefined;
  return {
    ...buildProblem(
      "EVENT_PRUNED",
      `event ${entry.eventId} was pruned by retention: its body is gone, its leaf hash and proofs remain`,
      { instance: request.url.split("?")[0], requestId: request.id },
    ),
    pruned: {
      index: entry.index,
      leaf_hash: leafHash,
      prune_index: range?.pruneIndex ?? null,
      ...(proof ? { proof } : {}),
    },
  };
}
