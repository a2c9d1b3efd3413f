// The Governance page in real Chromium against the real server: policy
// decisions and changes sent over HTTP with the SDK's helpers, then read as
// an admin (names shown) and as a viewer (pseudonyms): counts by phase and
// policy, denials with remediation linked to their events, changes with the
// policy before and after, and the phase and period filters.
import { policyEvaluated, policyUpdated } from "@trailproof/client";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  api,
  createPerson,
  describeBrowser,
  launchBrowser,
  openPage,
  screenshots,
  signIn,
  startTestServer,
  type TestPage,
  type TestServer,
} from "./harness.js";

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const ci = { type: "service_account" as const, id: "ci-runner" };

function policyEvents() {
  const review = { id: "pol_browser_review", version: 4 };
  return [
    policyEvaluated({
      id: "br_deploy_deny",
      occurredAt: ago(30),
      actor: ci,
      phase: "deploy",
      policy: review,
      decision: "deny",
      rationale: "production deploys need a second reviewer",
      remediation: "ask a second reviewer to approve the release",
      target: { type: "template", id: "tpl_checkout", name: "Checkout" },
    }),
    policyEvaluated({
      id: "br_deploy_allow",
      occurredAt: ago(20),
      actor: ci,
      phase: "deploy",
      policy: review,
      decision: "allow",
      rationale: "two reviewers approved",
      target: { type: "template", id: "tpl_checkout", name: "Checkout" },
    }),
    policyEvaluated({
      id: "br_build_warn",
      occurredAt: ago(15),
      actor: ci,
      phase: "build",
      policy: { id: "pol_browser_licences", version: "2026.12" },
      decision: "warn",
      rationale: "a dependency's licence is under review",
      target: { type: "package", id: "pkg_pdf" },
    }),
    // Two days ago: inside the last 7 days, outside the last 24 hours.
    policyEvaluated({
      id: "br_runtime_deny_old",
      occurredAt: ago(2 * 24 * 60),
      actor: { type: "service_account", id: "api-gateway" },
      phase: "runtime",
      policy: { id: "pol_browser_rate", version: 2 },
      decision: "deny",
      rationale: "too many exports in an hour",
      remediation: "retry in an hour",
      target: { type: "table", id: "tbl_customers" },
    }),
    policyUpdated({
      id: "br_update_review",
      occurredAt: ago(25),
      actor: { type: "user", id: "usr_linus", name: "Linus Browser" },
      policy: { id: "pol_browser_review", version: 4, name: "Browser deploy review" },
      phase: "deploy",
      reason: "a second reviewer for production",
      before: { enforcement: "warn", version: "3", rules: ["one_reviewer"] },
      after: { enforcement: "enforce", version: "4", rules: ["two_reviewers"] },
    }),
  ];
}

/** pol_browser_review's row, the same for an admin and a viewer: phase, policy, allow, deny, warn, other, total. */
const REVIEW_DECISIONS = ["deploy", "pol_browser_review", "1", "1", "0", "0", "2"];

/** The decision row of `policy`, its cells' text. */
async function decisionRow(page: Page, policy: string): Promise<string[]> {
  const row = page
    .getByRole("table", { name: "Decisions by phase and policy" })
    .getByRole("row")
    .filter({ hasText: policy });
  await row.first().waitFor();
  return (await row.first().getByRole("cell").allTextContents()).map((t) => t.trim());
}

describeBrowser("console governance", () => {
  let server: TestServer;
  let browser: Browser;
  let admin: TestPage;
  let viewer: TestPage;

  beforeAll(async () => {
    server = await startTestServer();
    const { key } = await api<{ key: string }>(server, "POST", "/v1/keys", { role: "ingest", name: "governance" });
    const sent = await api<{ results: { status: string }[] }>(
      server,
      "POST",
      "/v1/events",
      { events: policyEvents() },
      key,
    );
    expect(sent.results.map((r) => r.status)).toEqual(["created", "created", "created", "created", "created"]);
    browser = await launchBrowser();
    admin = await openPage(browser);
    await signIn(admin.page, server, await createPerson(server, "gov-admin", "admin"));
    viewer = await openPage(browser);
    await signIn(viewer.page, server, await createPerson(server, "gov-viewer", "viewer"));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows decisions by phase and policy, denials with remediation and policy changes with who made them", async () => {
    const page = admin.page;
    await page.goto(`${server.url}/governance`);
    await page.getByRole("heading", { name: "Governance", level: 1 }).waitFor();
    // Phase, policy, allow, deny, warn, other, total.
    expect(await decisionRow(page, "pol_browser_review")).toEqual(REVIEW_DECISIONS);
    expect(await decisionRow(page, "pol_browser_licences")).toEqual([
      "build",
      "pol_browser_licences",
      "0",
      "0",
      "1",
      "0",
      "1",
    ]);
    const denial = page.locator('tr[data-event-id="br_deploy_deny"]');
    await expect.poll(() => denial.textContent()).toContain("ask a second reviewer to approve the release");
    expect(await denial.textContent()).toContain("production deploys need a second reviewer");
    const change = page.locator('li[data-event-id="br_update_review"]');
    const changeText = await change.textContent();
    expect(changeText).toContain("Linus Browser (usr_linus)");
    expect(changeText).toContain("Browser deploy review");
    expect(changeText).toContain("v3 → v4");
    expect(changeText).toContain("a second reviewer for production");
    expect(await change.locator("figure", { hasText: "Before" }).textContent()).toContain("one_reviewer");
    expect(await change.locator("figure", { hasText: "After" }).textContent()).toContain("two_reviewers");
    await screenshots(page, "governance");
    // The denial links to the event's detail page.
    await denial.getByRole("link").click();
    await page.waitForURL(`${server.url}/events/br_deploy_deny`);
    await expect.poll(() => page.getByText("pol_browser_review").count()).toBeGreaterThan(0);
    expect(admin.problems).toEqual([]);
  });

  it("filters by phase and by period", async () => {
    const page = admin.page;
    await page.goto(`${server.url}/governance`);
    await page.locator('tr[data-event-id="br_runtime_deny_old"]').waitFor();
    await page.getByLabel("Phase", { exact: true }).selectOption("build");
    await expect.poll(() => page.locator('tr[data-event-id="br_deploy_deny"]').count()).toBe(0);
    expect(await decisionRow(page, "pol_browser_licences")).toEqual([
      "build",
      "pol_browser_licences",
      "0",
      "0",
      "1",
      "0",
      "1",
    ]);
    expect(
      await page.getByRole("table", { name: "Decisions by phase and policy" }).getByText("pol_browser_review").count(),
    ).toBe(0);
    expect(await page.getByText("No policy changes in this period").count()).toBe(1);
    await page.getByLabel("Phase", { exact: true }).selectOption("");
    await page.getByLabel("Period", { exact: true }).selectOption("1");
    await page.locator('tr[data-event-id="br_deploy_deny"]').waitFor();
    await expect.poll(() => page.locator('tr[data-event-id="br_runtime_deny_old"]').count()).toBe(0);
    await page.getByLabel("Period", { exact: true }).selectOption("7");
    await page.locator('tr[data-event-id="br_runtime_deny_old"]').waitFor();
  });

  it("shows a viewer the same decisions with people as pseudonyms", async () => {
    const page = viewer.page;
    await page.goto(`${server.url}/governance`);
    await page.getByText("People are shown as pseudonyms").waitFor();
    expect(await decisionRow(page, "pol_browser_review")).toEqual(REVIEW_DECISIONS);
    const change = page.locator('li[data-event-id="br_update_review"]');
    await change.waitFor();
    const text = (await change.textContent()) ?? "";
    expect(text).toMatch(/psn_[0-9a-f]{32}/);
    expect(text).not.toContain("usr_linus");
    expect(text).not.toContain("Linus Browser");
    expect(viewer.problems).toEqual([]);
  });
});
