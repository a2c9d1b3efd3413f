// VerifyJobs over a MemorySharedState: progress and reports, one running job
// per tenant across nodes (two VerifyJobs on one shared state), expiry, the
// per-tenant cap, and a job whose node stopped.
import { MemorySharedState, type VerifyReport } from "@trailproof/ledger";
import { describe, expect, it } from "vitest";
import { JOB_TTL_MS, MAX_JOBS_PER_TENANT, RUNNING_TTL_MS, VerifyJobs } from "./verify-jobs.js";

const report = (treeSize: number): VerifyReport =>
  ({
    tenant: "t",
    origin: "o",
    treeSize,
    checkpoints: 1,
    ok: true,
    divergences: [],
    pruned: { entries: 0, ranges: [] },
    erasure: { erased: 0, sealed: 0, digestsErased: 0, erasures: 0 },
  }) as VerifyReport;

function deferred() {
  let resolve!: (r: VerifyReport) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<VerifyReport>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const mustNotRun = () => Promise.reject(new Error("must not run"));

describe("VerifyJobs", () => {
  it("reports progress, then the report; a second start while running joins the same job on any node", async () => {
    const shared = new MemorySharedState();
    const jobs = new VerifyJobs(shared, () => undefined, { heartbeatMs: 10 });
    const otherNode = new VerifyJobs(shared, () => undefined);
    const run = deferred();
    let progress: (v: number, t: number) => void = () => undefined;
    const job = await jobs.start("acme", 10, (onProgress) => {
      progress = onProgress;
      return run.promise;
    });
    expect((await jobs.start("acme", 10, mustNotRun)).id).toBe(job.id);
    expect((await otherNode.start("acme", 10, mustNotRun)).id).toBe(job.id);
    progress(4, 10);
    expect(await jobs.get("acme", job.id)).toMatchObject({ status: "running", verified: 4, total: 10 });
    // The other node sees progress once a heartbeat has written it.
    await new Promise((r) => setTimeout(r, 50));
    expect(await otherNode.get("acme", job.id)).toMatchObject({ status: "running", verified: 4, total: 10 });
    run.resolve(report(10));
    await jobs.settled(job.id);
    for (const node of [jobs, otherNode]) {
      expect(await node.get("acme", job.id)).toMatchObject({
        status: "done",
        verified: 10,
        total: 10,
        finishedAt: expect.any(String),
        report: { ok: true, treeSize: 10 },
      });
    }
    const next = await otherNode.start("acme", 10, () => Promise.resolve(report(10)));
    expect(next.id).not.toBe(job.id);
    await otherNode.settled(next.id);
  });

  it("a job that cannot finish is failed and reported once to onError", async () => {
    const errors: unknown[] = [];
    const jobs = new VerifyJobs(new MemorySharedState(), (_job, err) => errors.push(err));
    const job = await jobs.start("acme", 3, () => Promise.reject(new Error("store closed")));
    await jobs.settled(job.id);
    expect(await jobs.get("acme", job.id)).toMatchObject({ status: "failed", report: null });
    expect(errors).toHaveLength(1);
  });

  it("another tenant never sees a job; finished jobs expire; each tenant keeps its latest few", async () => {
    let now = Date.parse("2026-12-01T00:00:00Z");
    const shared = new MemorySharedState({ now: () => now });
    const jobs = new VerifyJobs(shared, () => undefined, { now: () => now });
    const job = await jobs.start("acme", 1, () => Promise.resolve(report(1)));
    await jobs.settled(job.id);
    expect(await jobs.get("globex", job.id)).toBeUndefined();
    expect(await jobs.get("acme", job.id)).toMatchObject({ id: job.id, status: "done" });
    now += JOB_TTL_MS + 1;
    expect(await jobs.get("acme", job.id)).toBeUndefined();
    const ids: string[] = [];
    for (let i = 0; i < MAX_JOBS_PER_TENANT + 3; i++) {
      const j = await jobs.start("acme", 1, () => Promise.resolve(report(1)));
      await jobs.settled(j.id);
      ids.push(j.id);
    }
    const kept = await Promise.all(ids.map((id) => jobs.get("acme", id)));
    expect(kept.map((j) => j !== undefined)).toEqual(ids.map((_, i) => i >= 3));
  });

  it("a job whose node stopped renewing its claim is failed, and the tenant can start another", async () => {
    let now = Date.parse("2026-12-01T00:00:00Z");
    const shared = new MemorySharedState({ now: () => now });
    const dead = new VerifyJobs(shared, () => undefined, { now: () => now, heartbeatMs: 3_600_000 });
    const alive = new VerifyJobs(shared, () => undefined, { now: () => now });
    const stuck = deferred();
    const job = await dead.start("acme", 5, () => stuck.promise);
    expect(await alive.get("acme", job.id)).toMatchObject({ status: "running" });
    now += RUNNING_TTL_MS + 1;
    expect(await alive.get("acme", job.id)).toMatchObject({ status: "failed", finishedAt: expect.any(String) });
    const next = await alive.start("acme", 5, () => Promise.resolve(report(5)));
    expect(next.id).not.toBe(job.id);
    await alive.settled(next.id);
    stuck.reject(new Error("the node is gone"));
    await dead.settled(job.id);
  });
});
