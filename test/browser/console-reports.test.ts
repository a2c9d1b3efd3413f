// The Reports page in real Chromium (issue 15): an auditor picks sections,
// checks and a period, generates a report, sees its summary and its
// printable page framed (the server's page, its own policy), and downloads
// the JSON, which verifies offline against the log's key; an admin also sees
// the report schedules; a viewer gets no Reports link.
import { readFileSync } from "node:fs";
import { type ReportArtifact, verifyReport } from "@trailproof/core";
import { reportQueryMatcher } from "@trailproof/protocol";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  api,
  createPerson,
  describeBrowser,
  launchBrowser,
  openPage,
  recordRefusals,
  screenshots,
  signIn,
  startTestServer,
  type TestServer,
} from "./harness.js";

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describeBrowser("console reports page", () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer({ checkpointIntervalMs: 200 });
    browser = await launchBrowser();
    await api(server, "POST", "/v1/report-schedules", {
      name: "Monthly access review",
      cron: "0 6 1 * *",
      period: "previous_month",
      definition: { name: "Access", sections: [{ type: "access_changes" }], checks: [] },
      channel_ids: ["ch_security"],
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("generates a report, shows its page, and downloads JSON that verifies offline", async () => {
    const { page, problems } = await openPage(browser, 1280, { acceptDownloads: true });
    await signIn(page, server, await createPerson(server, "rita", "auditor"));
    const refusals = recordRefusals(page);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reports" }).click();
    await page.getByRole("heading", { name: "Reports", level: 1 }).waitFor();
    // The demo data was received when the server started: a period from yesterday to tomorrow holds it.
    await page.getByLabel("Received from (UTC)").fill(day(-1));
    await page.getByLabel("Received before (UTC)").fill(day(1));
    await page.getByLabel("Policy changes and denials").check();
    await page.getByRole("button", { name: "Generate report" }).click();
    const summary = page.getByTestId("report-summary");
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(/^\d+ entries in the period, \d+ events listed, \d+ violations\.$/);
    // The framed page is the server's, with the checkpoint and the summary.
    const frame = page.frameLocator('iframe[title="Printable report"]');
    await frame.getByRole("heading", { name: "Signed checkpoint" }).waitFor();
    expect(await frame.locator("pre").first().textContent()).toMatch(/^trailproof\.localhost\/log\/demo\n\d+\n/);
    await screenshots(page, "reports");

    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download JSON (verifiable)" }).click();
    const file = await (await download).path();
    const report = JSON.parse(readFileSync(file, "utf8")) as ReportArtifact;
    const key = (await api<{ verifier_key: string }>(server, "GET", "/v1/log/key")).verifier_key;
    const verified = verifyReport(report, key, reportQueryMatcher);
    expect(verified.entries).toBe(report.summary.entries);
    expect(report.definition.sections.map((s) => s.type)).toEqual(["access_changes", "config_changes", "policy"]);
    expect(report.definition.checks).toHaveLength(3);
    // An auditor's page asks nothing it may not read (the schedules are an admin's).
    expect(refusals).toEqual([]);
    expect(await page.getByRole("heading", { name: "Scheduled reports" }).count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("shows an admin the schedules, and a viewer no Reports link", async () => {
    const admin = await openPage(browser, 1280);
    await signIn(admin.page, server, await createPerson(server, "ada-reports", "admin"));
    await admin.page.goto(`${server.url}/reports`);
    const row = admin.page.locator("tr", { hasText: "Monthly access review" });
    await row.waitFor();
    expect(await row.textContent()).toContain("ch_security");
    expect(await row.textContent()).toContain("never");

    const viewer = await openPage(browser, 1280);
    await signIn(viewer.page, server, await createPerson(server, "vic-reports", "viewer"));
    const nav = viewer.page.getByRole("navigation", { name: "Main" });
    await nav.waitFor();
    expect(await nav.getByRole("link", { name: "Reports" }).count()).toBe(0);
    await viewer.page.goto(`${server.url}/reports`);
    await viewer.page.getByRole("heading", { name: "Not permitted" }).waitFor();
  });
});
