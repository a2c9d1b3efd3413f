import type { VerifyReport } from "@trailproof/ledger";
import { describe, expect, it } from "vitest";
import { JOB_TTL_MS, MAX_JOBS, VerifyJobs } from "./verify-jobs.js";

const report = (treeSize: number): VerifyReport =>
  ({ tenant: "t", origin: "o", treeSize, checkpoints: 1, ok: true, divergences: [] }) as VerifyReport;

function deferred() {
  let resolve!: (r: VerifyReport) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<VerifyReport>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("VerifyJobs", () => {
  it("reports progress, then the report; a second start while running joins the same job", async () => {
    const jobs = new VerifyJobs(() => undefined);
    const run = deferred();
    let progress: (v: number, t: number) => void = () => undefined;
    const job = jobs.start("acme", 10, (onProgress) => {
      progress = onProgress;
      return run.promise;
    });
    expect(jobs.start("acme", 10, () => Promise.reject(new Error("must not run")))).toBe(job);
    progress(4, 10);
    expect(jobs.get("acme", job.id)).toMatchObject({ status: "running", verified: 4, total: 10 });
    run.resolve(report(10));
    await job.settled;
    expect(job).toMatchObject({ status: "done", verified: 10, total: 10, report: { ok: true } });
    expect(jobs.start("acme", 10, () => Promise.resolve(report(10)))).not.toBe(job);
  });

  it("a job that cannot finish is failed and reported once to onError", async () => {
    const errors: unknown[] = [];
    const jobs = new VerifyJobs((_job, err) => errors.push(err));
    const job = jobs.start("acme", 3, () => Promise.reject(new Error("store closed")));
    await job.settled;
    expect(job.status).toBe("failed");
    expect(job.report).toBeNull();
    expect(errors).toHaveLength(1);
  });

  it("another tenant never sees a job; finished jobs expire and are capped", async () => {
    let now = Date.parse("2026-12-01T00:00:00Z");
    const jobs = new VerifyJobs(
      () => undefined,
      () => now,
    );
    const job = jobs.start("acme", 1, () => Promise.resolve(report(1)));
    await job.settled;
    expect(jobs.get("globex", job.id)).toBeUndefined();
    expect(jobs.get("acme", job.id)).toBe(job);
    now += JOB_TTL_MS + 1;
    expect(jobs.get("acme", job.id)).toBeUndefined();
    const ids: string[] = [];
    for (let i = 0; i < MAX_JOBS + 5; i++) {
      const j = jobs.start(`t${i}`, 1, () => Promise.resolve(report(1)));
      await j.settled;
      ids.push(j.id);
    }
    expect(jobs.get("t0", ids[0] as string)).toBeUndefined();
    expect(jobs.get(`t${MAX_JOBS + 4}`, ids.at(-1) as string)).toBeDefined();
  });
});
