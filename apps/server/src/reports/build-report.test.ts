// buildReport on a real SQLite ledger: the range found by received_at is
// exactly the period's entries, a range over the bound is refused with
// REPORT_RANGE_TOO_LARGE saying to split the period, and the artifact
// verifies with core's verifier.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hasErrorCode, type ReportDefinition, verifyReport } from "@trailproof/core";
import { type DataDir, openDataDir } from "@trailproof/ledger";
import { reportQueryMatcher } from "@trailproof/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildReport, reportCheckpoint } from "./build-report.js";

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 6, 1);
let clock = T0 - 5 * HOUR;
let data: DataDir;

const DEF: ReportDefinition = {
  name: "unit",
  period: { from: new Date(T0).toISOString(), to: new Date(T0 + 20 * HOUR).toISOString() },
  sections: [{ type: "access_changes", query: "action:permission.grant" }],
  checks: [],
};

beforeAll(async () => {
  data = await openDataDir({
    dataDir: mkdtempSync(join(tmpdir(), "tp-build-report-")),
    checkpointIntervalMs: 0,
    now: () => clock,
  });
  await data.ledger.createTenant("acme");
  // One entry an hour, from five hours before the period to five after it.
  for (let h = -5; h < 25; h++) {
    clock = T0 + h * HOUR;
    const [r] = await data.ledger.append("acme", [
      {
        id: `e${h + 5}`,
        action: h % 3 === 0 ? "permission.grant" : "record.update",
        occurred_at: new Date(clock).toISOString(),
        actor: { type: "user", id: "usr_a" },
        target: { type: "workspace", id: "ws" },
      },
    ]);
    if (r?.status !== "created") throw new Error(JSON.stringify(r));
  }
  await data.ledger.publishCheckpoints();
});
afterAll(async () => {
  await data?.ledger.close();
});

describe("buildReport", () => {
  it("covers exactly the entries received in the period, plus one on each side, and verifies", async () => {
    const checkpoint = await reportCheckpoint(data.ledger, "acme");
    const report = await buildReport(data.ledger, "acme", "rpt_unit", DEF, checkpoint);
    expect(report.range).toEqual({ span_start: 4, context_start: 5, start: 5, end: 25, span_end: 26 });
    expect(report.sections[0]?.rows.map((r) => r.index)).toEqual([5, 8, 11, 14, 17, 20, 23]);
    const key = (await data.ledger.verifierKeys("acme"))[0]?.verifier_key as string;
    expect(verifyReport(report, key, reportQueryMatcher)).toMatchObject({ entries: 20, periodClosed: true });
  });

  it("refuses a range over the bound, saying to split the period", async () => {
    const checkpoint = await reportCheckpoint(data.ledger, "acme");
    const refused = await buildReport(data.ledger, "acme", "rpt_big", DEF, checkpoint, 19).catch((e: unknown) => e);
    expect(hasErrorCode(refused, "REPORT_RANGE_TOO_LARGE")).toBe(true);
    expect((refused as Error).message).toMatch(/holds 20 entries; a report holds at most 19: split the period/);
  });
});
