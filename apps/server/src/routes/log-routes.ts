// The log's contract with external verifiers (auditor and up): the latest
// signed checkpoint, the verifier keys, raw entries whose lines are
// byte-for-byte the leaf data (a pruned entry's line is its stand-in), and RFC 6962 proofs. Sizes and indexes are
// JSON numbers below 2^53. These routes read checkpoints; they never sign one.
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { InvalidInputError, toBase64 } from "@trailproof/core";
import { EntryLines } from "@trailproof/ledger";
import {
  CheckpointListSchema,
  CheckpointsQuerySchema,
  ConsistencyProofSchema,
  ConsistencyQuerySchema,
  EntriesQuerySchema,
  EntriesSchema,
  InclusionProofSchema,
  InclusionQuerySchema,
  ProblemResponses,
  VerifierKeysSchema,
} from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { MetaAudit } from "../audit/meta-audit.js";
import { tenantOf } from "../auth/authenticate.js";
import type { AppDeps } from "../deps.js";
import { HttpProblem } from "../http/problem.js";
import { CheckpointQuerySchema, cosignedCheckpoint } from "../witness/cosigned-checkpoint.js";

const MAX_ENTRIES_PER_PAGE = 1000;
const common = { tags: ["log"], security: [{ bearer: [] }] };

export function registerLogRoutes(app: FastifyInstance, deps: AppDeps, audit: MetaAudit): void {
  const { ledger } = deps;
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const logTarget = (tenant: string) => ({ type: "log", id: tenant });

  api.get(
    "/v1/log/checkpoint",
    {
      config: { permission: "prove" },
      schema: {
        ...common,
        summary:
          "The latest signed checkpoint (C2SP tlog-checkpoint as a signed note), as signed, with the witnesses' cosignature lines added",
        description:
          "Checkpoints are signed by the service's publisher within TRAILPROOF_CHECKPOINT_INTERVAL_MS of new entries; before a log's first one this answers 404 (NOT_FOUND). Witnesses' cosignatures (C2SP tlog-cosignature, docs/witness.md) follow the log's signature. With `cosigned=N`, the newest checkpoint that carries at least N cosignatures (404 while none does).",
        querystring: CheckpointQuerySchema,
        produces: ["text/plain"],
        response: { 200: Type.String(), ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const tenant = tenantOf(request);
      const { cosigned = 0 } = request.query;
      const cp = await cosignedCheckpoint(deps, tenant, cosigned);
      // A read that finds nothing is refused, and a refused request writes nothing (the
      // reliability fuzzer holds every route to that): record the read only once it is served.
      if (!cp && cosigned > 0) {
        throw new HttpProblem("NOT_FOUND", `no checkpoint of this log carries ${cosigned} cosignatures yet`);
      }
      if (!cp) throw new HttpProblem("NOT_FOUND", "no checkpoint has been signed for this log yet; retry shortly");
      await audit.record(request, { action: "audit.log.read", target: logTarget(tenant), dedupeKey: "checkpoint" });
      return reply.type("text/plain; charset=utf-8").send(cp);
    },
  );

  api.get(
    "/v1/log/checkpoints",
    {
      config: { permission: "prove" },
      schema: {
        ...common,
        summary: "Signed checkpoints, newest first (tree size, root hash, when signed)",
        querystring: CheckpointsQuerySchema,
        response: { 200: CheckpointListSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const tenant = tenantOf(request);
      const { limit = 200 } = request.query;
      const all = await ledger.checkpoints(tenant);
      await audit.record(request, { action: "audit.log.read", target: logTarget(tenant), dedupeKey: "checkpoints" });
      const listed = all.slice(-limit).reverse();
      const { tenantId } = await ledger.tenantRecord(tenant);
      const counts = await deps.cosignatures.countsAt(
        tenantId,
        listed.map((c) => c.treeSize),
      );
      return {
        checkpoints: listed.map((c) => ({
          tree_size: c.treeSize,
          root_hash: toBase64(c.rootHash),
          signed_at: c.signedAt,
          cosignatures: counts.get(c.treeSize) ?? 0,
        })),
      };
    },
  );

  api.get(
    "/v1/log/key",
    {
      config: { permission: "prove" },
      schema: {
        ...common,
        summary: "The log's origin and verifier keys (active and retired)",
        response: { 200: VerifierKeysSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const tenant = tenantOf(request);
      const record = await ledger.tenantRecord(tenant);
      const keys = await ledger.verifierKeys(tenant);
      await audit.record(request, { action: "audit.log.read", target: logTarget(tenant), dedupeKey: "key" });
      const active = keys.find((k) => k.retired_at === null) ?? keys[keys.length - 1];
      return { origin: record.origin, verifier_key: active?.verifier_key ?? "", keys };
    },
  );

  api.get(
    "/v1/log/entries",
    {
      config: { permission: "prove" },
      schema: {
        ...common,
        summary:
          "Entries start <= index < end as NDJSON; each line is exactly the entry's leaf data, or a pruned entry's stand-in",
        description: `SHA-256(0x00 || line) is the leaf hash, except for a pruned entry's line, {"pruned":{"index","leaf_hash","prune_index"}}, which carries its leaf hash (no leaf data starts with {"pruned":). At most ${MAX_ENTRIES_PER_PAGE} per page; a page may be shorter than asked.`,
        querystring: EntriesQuerySchema,
        produces: ["application/x-ndjson"],
        response: { 200: EntriesSchema, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const tenant = tenantOf(request);
      const { start, end } = request.query;
      const size = await ledger.treeSize(tenant);
      if (end <= start || start >= size) {
        throw new InvalidInputError("LOG_RANGE_INVALID", `need start < end and start < tree size ${size}`, {
          problems: [{ pointer: "/query/start", message: `must be below end and below the tree size ${size}` }],
        });
      }
      const entries = await ledger.readEntries(tenant, start, Math.min(end, start + MAX_ENTRIES_PER_PAGE));
      await audit.record(request, {
        action: "audit.log.read",
        target: logTarget(tenant),
        metadata: { query: { start, end } },
        dedupeKey: `entries:${start}:${end}`,
      });
      const record = await ledger.tenantRecord(tenant);
      const body = await new EntryLines(ledger.store, record.tenantId).encode(entries);
      return reply.type("application/x-ndjson").send(body);
    },
  );

  api.get(
    "/v1/log/proof/inclusion",
    {
      config: { permission: "prove" },
      schema: {
        ...common,
        summary: "RFC 6962 inclusion proof of entry `index` in the tree of `size`",
        querystring: InclusionQuerySchema,
        response: { 200: InclusionProofSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const tenant = tenantOf(request);
      const { index, size } = request.query;
      const proof = await ledger.inclusionProof(tenant, index, size);
      const [entry] = await ledger.readEntries(tenant, index, index + 1);
      await audit.record(request, {
        action: "audit.proof.read",
        target: logTarget(tenant),
        metadata: { query: { index, size } },
      });
      return { index, size, leaf_hash: toBase64(entry?.leafHash ?? new Uint8Array()), proof: proof.map(toBase64) };
    },
  );

  api.get(
    "/v1/log/proof/consistency",
    {
      config: { permission: "prove" },
      schema: {
        ...common,
        summary: "RFC 6962 consistency proof from tree size `from` to `to`",
        querystring: ConsistencyQuerySchema,
        response: { 200: ConsistencyProofSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const tenant = tenantOf(request);
      const { from, to } = request.query;
      const proof = await ledger.consistencyProof(tenant, from, to);
      await audit.record(request, {
        action: "audit.proof.read",
        target: logTarget(tenant),
        metadata: { query: { from, to } },
      });
      return { from, to, proof: proof.map(toBase64) };
    },
  );
}
