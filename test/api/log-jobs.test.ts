// Reads that must not write: verification runs as a job polled for progress,
// and no GET signs a checkpoint (the publisher alone signs). Also: metric
// labels never carry what a client sent.
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiFixture, buildApiFixture, problemOf, validEvent } from "./api-fixture.js";

let f: ApiFixture;

beforeAll(async () => {
  f = await buildApiFixture();
});
afterAll(async () => {
  await f?.close();
});

async function pollUntilFinished(key: string, location: string): Promise<LightMyRequestResponse> {
  for (let i = 0; i < 200; i++) {
    const res = await f.request("GET", location, key);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    if (res.json().status !== "running") return res;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${location} still running`);
}

describe("POST /v1/log/verify runs as a job", () => {
  it("answers 202 with the job at once; polling shows progress, then the report", async () => {
    const size = await f.data.ledger.treeSize("acme");
    const started = await f.request("POST", "/v1/log/verify", f.acme.auditor);
    expect(started.statusCode, started.body.slice(0, 300)).toBe(202);
    const job = started.json();
    expect(job).toMatchObject({ status: "running", verified: 0, finished_at: null, report: null });
    // The job's own meta-audit record was appended before the size was read.
    expect(job.total).toBe(size + 1);
    expect(started.headers.location).toBe(job.location);

    const done = (await pollUntilFinished(f.acme.auditor, job.location)).json();
    expect(done).toMatchObject({ job_id: job.job_id, status: "done", verified: job.total, total: job.total });
    expect(done.finished_at).toEqual(expect.any(String));
    expect(done.report).toMatchObject({ ok: true, tree_size: job.total, divergences: [] });
    expect(done.report.checkpoints).toBeGreaterThan(0);
  });

  it("a job is its tenant's: another tenant's auditor gets 404, as for a job that never existed", async () => {
    const job = (await f.request("POST", "/v1/log/verify", f.acme.admin)).json();
    await pollUntilFinished(f.acme.admin, job.location);
    for (const url of [job.location, "/v1/log/verify/00000000-0000-0000-0000-000000000000"]) {
      const res = await f.request("GET", url, f.globex.auditor);
      expect(res.statusCode).toBe(404);
      expect(problemOf(res).code).toBe("NOT_FOUND");
    }
  });

  it("stays role-restricted: below auditor, and the operator, may neither start nor read one", async () => {
    const job = (await f.request("POST", "/v1/log/verify", f.acme.auditor)).json();
    for (const key of [f.acme.ingest, f.acme.viewer, f.operator]) {
      expect(problemOf(await f.request("POST", "/v1/log/verify", key)).code).toBe("AUTH_FORBIDDEN");
      expect(problemOf(await f.request("GET", job.location, key)).code).toBe("AUTH_FORBIDDEN");
    }
    expect(problemOf(await f.request("GET", job.location)).code).toBe("AUTH_MISSING");
    await pollUntilFinished(f.acme.auditor, job.location);
  });
});

describe("no GET signs a checkpoint", () => {
  it("GET /v1/log/checkpoint serves the newest signed one, even when entries are newer", async () => {
    await f.data.ledger.publishCheckpoints();
    const appended = await f.request("POST", "/v1/events", f.acme.ingest, validEvent("after_checkpoint"));
    expect(appended.json().results[0].status).toBe("created");
    const before = await f.data.ledger.checkpoints("acme");
    const res = await f.request("GET", "/v1/log/checkpoint", f.acme.auditor);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(before.at(-1)?.note);
    expect(await f.data.ledger.checkpoints("acme")).toHaveLength(before.length);
  });

  it("an event newer than the latest checkpoint is served without a proof, and nothing is signed", async () => {
    const appended = await f.request("POST", "/v1/events", f.acme.ingest, validEvent("unsigned_yet"));
    expect(appended.json().results[0].status).toBe("created");
    const before = (await f.data.ledger.checkpoints("acme")).length;
    const res = await f.request("GET", "/v1/events/unsigned_yet", f.acme.auditor);
    expect(res.statusCode).toBe(200);
    expect(res.json().proof).toBeUndefined();
    expect(await f.data.ledger.checkpoints("acme")).toHaveLength(before);

    await f.data.ledger.publishCheckpoints();
    const proven = (await f.request("GET", "/v1/events/unsigned_yet", f.acme.auditor)).json();
    expect(proven.proof.inclusion).toMatchObject({ index: res.json().index, leaf_hash: expect.any(String) });
  });

  it("an export signs nothing either", async () => {
    await f.request("POST", "/v1/events", f.acme.ingest, validEvent("export_unsigned"));
    const before = (await f.data.ledger.checkpoints("acme")).length;
    expect((await f.request("GET", "/v1/export", f.acme.auditor)).statusCode).toBe(200);
    expect(await f.data.ledger.checkpoints("acme")).toHaveLength(before);
  });
});

describe("metric labels are bounded", () => {
  it("a rejected event's field names never become label values", async () => {
    const res = await f.request("POST", "/v1/events", f.acme.ingest, {
      events: [validEvent("labels_1", { zz_customer_field_4711: 1 }), validEvent("labels_2", { actor: 42 })],
    });
    expect(res.json().results.map((r: { status: string }) => r.status)).toEqual(["rejected", "rejected"]);
    await f.request("GET", "/v1/no_such_route_4712", f.acme.viewer);
    const body = (await f.request("GET", "/metrics", f.operator)).body;
    expect(body).not.toContain("zz_customer_field_4711");
    expect(body).not.toContain("no_such_route_4712");
    expect(body).toMatch(/^trailproof_events_rejected_total\{reason="other"\} [1-9]\d*$/m);
    expect(body).toMatch(/^trailproof_events_rejected_total\{reason="actor"\} [1-9]\d*$/m);
    expect(body).toMatch(
      /^trailproof_http_requests_total\{route="\/v1\/events",method="POST",status="2xx"\} [1-9]\d*$/m,
    );
    expect(body).toMatch(/^# TYPE trailproof_follower_lag_entries gauge$/m);
  });
});
