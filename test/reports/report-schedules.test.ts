// Report schedules over HTTP (admin only, each change an event) and the
// scheduler firing one with an injected clock: it generates the previous
// month's report once, even with two nodes, and records report.generate
// naming the schedule's channel_ids; the report regenerates and verifies.
import { encodeCanonicalJson, fromUtf8, type JsonObject, type ReportArtifact, verifyReport } from "@trailproof/core";
import { reportQueryMatcher } from "@trailproof/protocol";
import { ReportScheduler } from "@trailproof/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiFixture, buildApiFixture, problemOf } from "../api/api-fixture.js";

let f: ApiFixture;
beforeAll(async () => {
  f = await buildApiFixture();
});
afterAll(async () => {
  await f?.close();
});

const BODY = {
  name: "Monthly access review",
  cron: "0 6 1 * *",
  period: "previous_month",
  definition: {
    name: "Access changes",
    sections: [{ type: "access_changes" }, { type: "config_changes" }],
    checks: [{ type: "requires_tag", name: "grants carry a ticket", query: "action:permission.grant", tag: "ticket:" }],
  },
  channel_ids: ["ch_ops"],
};

async function lastEvent(action: string): Promise<JsonObject> {
  const size = await f.data.ledger.treeSize("acme");
  const entries = await f.data.ledger.readEntries("acme", 0, size);
  const found = entries.map((e) => JSON.parse(fromUtf8(e.leafData)) as JsonObject).filter((e) => e.action === action);
  return found[found.length - 1] as JsonObject;
}

/** 06:00:30 UTC on the first day of the month after the real one: the monthly cron is due. */
function nextMonthFiring(): number {
  const d = new Date();
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1, 6, 0, 30);
}

describe("/v1/report-schedules", () => {
  let id = "";

  it("creates a schedule (admin only) and records report_schedule.create", async () => {
    expect((await f.request("POST", "/v1/report-schedules", f.acme.auditor, BODY)).statusCode).toBe(403);
    expect((await f.request("POST", "/v1/report-schedules", f.acme.viewer, BODY)).statusCode).toBe(403);
    const res = await f.request("POST", "/v1/report-schedules", f.acme.admin, BODY);
    expect(res.statusCode).toBe(201);
    const schedule = res.json().schedule;
    id = schedule.id;
    expect(schedule).toMatchObject({
      name: BODY.name,
      cron: BODY.cron,
      channel_ids: ["ch_ops"],
      enabled: true,
      last_fired_at: null,
    });
    const event = await lastEvent("report_schedule.create");
    expect(event.target).toMatchObject({ type: "report_schedule", id });
    expect((event.change as JsonObject).after).toMatchObject({ cron: BODY.cron, channel_ids: ["ch_ops"] });
  });

  it("refuses a bad cron and a bad query together, changing nothing", async () => {
    const before = (await f.request("GET", "/v1/report-schedules", f.acme.admin)).json().schedules.length;
    const res = await f.request("POST", "/v1/report-schedules", f.acme.admin, {
      ...BODY,
      cron: "61 * * * *",
      definition: { ...BODY.definition, checks: [{ type: "requires_tag", name: "x", query: "action:(", tag: "t" }] },
    });
    expect(res.statusCode).toBe(400);
    const problem = problemOf(res);
    expect(problem.code).toBe("REPORT_INVALID");
    expect(problem.problems?.map((p) => p.pointer).sort()).toEqual(["/cron", "/definition/checks/0/query"]);
    expect((await f.request("GET", "/v1/report-schedules", f.acme.admin)).json().schedules).toHaveLength(before);
  });

  it("reads and replaces it, recording report_schedule.update with before and after; globex sees none", async () => {
    expect((await f.request("GET", `/v1/report-schedules/${id}`, f.acme.admin)).json().schedule.id).toBe(id);
    expect((await f.request("GET", `/v1/report-schedules/${id}`, f.globex.admin)).statusCode).toBe(404);
    expect((await f.request("GET", "/v1/report-schedules", f.globex.admin)).json().schedules).toEqual([]);
    const res = await f.request("PUT", `/v1/report-schedules/${id}`, f.acme.admin, {
      ...BODY,
      channel_ids: ["ch_ops", "ch_security"],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().schedule.channel_ids).toEqual(["ch_ops", "ch_security"]);
    const change = (await lastEvent("report_schedule.update")).change as JsonObject;
    expect((change.before as JsonObject).channel_ids).toEqual(["ch_ops"]);
    expect((change.after as JsonObject).channel_ids).toEqual(["ch_ops", "ch_security"]);
  });

  it("fires once when due (two nodes racing), recording report.generate with its channel_ids", async () => {
    await f.data.ledger.publishCheckpoints();
    const firing = nextMonthFiring();
    const node = () => new ReportScheduler({ ...f.data, log: f.app.log, now: () => firing }, 0);
    // Not yet due an hour before.
    expect(
      await new ReportScheduler({ ...f.data, log: f.app.log, now: () => firing - 3_600_000 }, 0).runOnce(),
    ).toEqual([]);
    const [a, b] = await Promise.all([node().runOnce(), node().runOnce()]);
    const fired = [...(a ?? []), ...(b ?? [])];
    expect(fired).toHaveLength(1);
    expect(await node().runOnce()).toEqual([]);
    const reportId = fired[0]?.reportId as string;
    const event = await lastEvent("report.generate");
    expect(event.id).toBe(reportId);
    const month = new Date(firing);
    const from = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() - 1, 1)).toISOString();
    expect(event.metadata).toMatchObject({
      report_id: reportId,
      schedule_id: id,
      channel_ids: ["ch_ops", "ch_security"],
      period_from: from,
      period_to: new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 1)).toISOString(),
    });
    const schedule = (await f.request("GET", `/v1/report-schedules/${id}`, f.acme.admin)).json().schedule;
    expect(schedule.last_report_id).toBe(reportId);
    // The fixture's events were received this month: the report lists them, and verifies.
    const res = await f.request("GET", `/v1/reports/${reportId}`, f.acme.auditor);
    expect(res.statusCode).toBe(200);
    const report = JSON.parse(res.body) as ReportArtifact;
    expect(report.summary.entries).toBeGreaterThan(0);
    expect(res.body).toBe(encodeCanonicalJson(report as unknown as JsonObject));
    const key = (await f.data.ledger.verifierKeys("acme"))[0]?.verifier_key as string;
    expect(verifyReport(report, key, reportQueryMatcher).violations).toBe(report.summary.violations);
  });

  it("deletes it, recording report_schedule.delete", async () => {
    expect((await f.request("DELETE", `/v1/report-schedules/${id}`, f.acme.admin)).statusCode).toBe(200);
    expect((await lastEvent("report_schedule.delete")).target).toMatchObject({ id });
    expect((await f.request("GET", `/v1/report-schedules/${id}`, f.acme.admin)).statusCode).toBe(404);
    expect((await f.request("DELETE", `/v1/report-schedules/${id}`, f.acme.admin)).statusCode).toBe(404);
  });
});
