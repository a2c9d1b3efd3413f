// Whole-log verification as a job (auditor and up): POST /v1/log/verify
// answers 202 with the job at once, GET /v1/log/verify/{job} shows its
// progress (verified of total entries) and, once done, the report: every
// leaf, stored node, signed root and checkpoint signature, and every row
// kept beside the leaves (lookup columns, personal values, search projection).
// Jobs live in the nodes' shared state, so a poll may land on any node.
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { nodeHasher, tenantLogReport } from "@trailproof/ledger";
import { ProblemResponses, type VerifyJob, VerifyJobParamsSchema, VerifyJobSchema } from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import type { MetaAudit } from "../audit/meta-audit.js";
import { tenantOf } from "../auth/authenticate.js";
import type { AppDeps } from "../deps.js";
import { HttpProblem } from "../http/problem.js";
import { type VerifyJobState, VerifyJobs, yieldingStore } from "../verify/verify-jobs.js";

const common = { tags: ["log"], security: [{ bearer: [] }] };

function toWire(job: VerifyJobState): VerifyJob {
  const r = job.report;
  return {
    job_id: job.id,
    location: `/v1/log/verify/${job.id}`,
    status: job.status,
    verified: job.verified,
    total: job.total,
    started_at: job.startedAt,
    finished_at: job.finishedAt,
    report: r && {
      ok: r.ok,
      tree_size: r.treeSize,
      checkpoints: r.checkpoints,
      divergences: r.divergences,
      // Absent from reports of jobs stored before pruning existed.
      ...(r.pruned
        ? {
            pruned: {
              entries: r.pruned.entries,
              ranges: r.pruned.ranges.map((p) => ({ start: p.start, end: p.end, prune_index: p.pruneIndex })),
            },
          }
        : {}),
    },
  };
}

export function registerVerifyRoutes(app: FastifyInstance, deps: AppDeps, audit: MetaAudit): void {
  const { ledger } = deps;
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const jobs = new VerifyJobs(deps.shared, (job, err) => {
    app.log.error({ err, job: job.id, tenant: job.tenant }, "log verification could not finish");
  });
  // Shutdown lets running checks finish before the store closes under them.
  app.addHook("onClose", () => jobs.drain());
  const logTarget = (tenant: string) => ({ type: "log", id: tenant });

  api.post(
    "/v1/log/verify",
    {
      config: { permission: "verify" },
      schema: {
        ...common,
        summary: "Start verifying the whole log: every leaf, node, signed root and checkpoint signature",
        description:
          "Answers 202 at once with a job; poll its `location` (GET /v1/log/verify/{job}) for progress and the report. While a check of this log is running, another request answers that job.",
        response: { 202: VerifyJobSchema, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const tenant = tenantOf(request);
      await audit.record(request, { action: "audit.verify", target: logTarget(tenant) });
      const keys = (await ledger.verifierKeys(tenant)).map((k) => k.verifier_key);
      const total = await ledger.treeSize(tenant);
      const store = yieldingStore(ledger.store);
      const digestKey = await ledger.digestKey(tenant);
      const job = await jobs.start(tenant, total, (onProgress) =>
        tenantLogReport(store, nodeHasher, tenant, {
          verifierKeys: keys,
          onProgress,
          derived: deps.audits,
          digestKey,
          subjects: ledger.subjects,
        }),
      );
      const wire = toWire(job);
      return reply.code(202).header("location", wire.location).send(wire);
    },
  );

  api.get(
    "/v1/log/verify/:job",
    {
      config: { permission: "verify" },
      schema: {
        ...common,
        summary: "A verification job: its progress, and its report once done",
        params: VerifyJobParamsSchema,
        response: { 200: VerifyJobSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const tenant = tenantOf(request);
      const { job: id } = request.params;
      const job = await jobs.get(tenant, id);
      // Another tenant's job answers exactly like one that never existed.
      if (!job) throw new HttpProblem("NOT_FOUND", "no such verification job (jobs are kept for an hour)");
      await audit.record(request, {
        action: "audit.log.read",
        target: logTarget(tenant),
        metadata: { verify_job: job.id },
        dedupeKey: `verify:${job.id}:${job.status}`,
      });
      return toWire(job);
    },
  );
}
