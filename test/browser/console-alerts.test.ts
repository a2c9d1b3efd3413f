// Alert rules and alerts in real Chromium against the real server: an admin
// makes a threshold rule through the console, sees its preview (a back-test
// of the unsaved definition over past events) before saving it, saves it;
// matching events then arrive over HTTP, the alert appears on the Alerts
// page, is acknowledged and resolved with a note, each step showing who.
import type { Browser, Page } from "playwright-core";
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
  type TestPage,
  type TestServer,
} from "./harness.js";

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const QUERY = "outcome:denied action:permission.grant";

/** `n` denied permission grants by one actor, a minute apart, ending `endMinutesAgo` ago. */
function deniedGrants(prefix: string, n: number, endMinutesAgo: number) {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}_${i}`,
    action: "permission.grant",
    occurred_at: ago(endMinutesAgo + (n - 1 - i)),
    actor: { type: "user", id: "usr_mallory", name: "Mallory" },
    target: { type: "role", id: "role_admin", name: "Admin" },
    outcome: { status: "denied", reason: "policy:self_grant" },
    metadata: { permission: "admin", grantee_type: "user", grantee_id: "usr_mallory" },
  }));
}

interface RuleList {
  rules: { id: string; version: number; definition: { name: string } }[];
}

describeBrowser("console alerts", () => {
  let server: TestServer;
  let browser: Browser;
  let tp: TestPage;
  let page: Page;
  let ingestKey: string;
  let refused: string[];

  beforeAll(async () => {
    server = await startTestServer();
    ({ key: ingestKey } = await api<{ key: string }>(server, "POST", "/v1/keys", { role: "ingest", name: "alerts" }));
    // History for the preview: three denied grants by one actor within three minutes, an hour ago.
    await api(server, "POST", "/v1/events", { events: deniedGrants("past_grant", 3, 60) }, ingestKey);
    browser = await launchBrowser();
    tp = await openPage(browser);
    page = tp.page;
    // A step that waits longer fails with the locator it waited for, inside the test's own time.
    page.setDefaultTimeout(15_000);
    refused = recordRefusals(page);
    await signIn(page, server, await createPerson(server, "alert-admin", "admin"));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("previews a threshold rule before it is saved, then saves it", async () => {
    const posted: string[] = [];
    page.on("request", (r) => {
      const url = new URL(r.url());
      if (r.method() !== "GET" && url.pathname.startsWith("/v1/rules")) posted.push(`${r.method()} ${url.pathname}`);
    });
    await page.goto(`${server.url}/rules`);
    await page.getByRole("link", { name: "New rule" }).click();
    await page.waitForURL(`${server.url}/rules/new`);
    const form = page.getByRole("form", { name: "Rule" });
    await form.getByLabel("Name", { exact: true }).fill("Repeated denied grants");
    await form.getByLabel("Severity").selectOption("high");
    await form.getByLabel("Type").selectOption("threshold");
    await form.getByLabel("Events (search syntax)").fill(QUERY);
    await form.getByLabel("At least (events)").fill("3");
    await form.getByLabel("Window (minutes)").fill("10");
    await form.getByLabel("actor", { exact: true }).check();

    await page.getByLabel("Preview period").selectOption("24");
    await page.getByRole("button", { name: "Preview" }).click();
    const result = page.getByRole("status", { name: "Preview result" });
    await result.waitFor();
    expect(await result.textContent()).toContain("Would have raised 1 alert");
    const previewed = page.getByRole("table", { name: "Alerts the rule would have raised" });
    const matched = await previewed.getByRole("list", { name: "Matched events" }).getByRole("link").allTextContents();
    expect(matched).toEqual(["past_grant_0", "past_grant_1", "past_grant_2"]);
    // The preview is a back-test of the unsaved definition: nothing was saved yet.
    expect(posted).toEqual(["POST /v1/rules/backtest"]);
    expect((await api<RuleList>(server, "GET", "/v1/rules")).rules).toEqual([]);
    await screenshots(page, "rule-new-preview");

    await form.getByRole("button", { name: "Save rule" }).click();
    await page.waitForURL(/\/rules\/rul_/);
    expect(posted).toEqual(["POST /v1/rules/backtest", "POST /v1/rules"]);
    const { rules } = await api<RuleList>(server, "GET", "/v1/rules");
    expect(rules.map((r) => [r.definition.name, r.version])).toEqual([["Repeated denied grants", 1]]);
    await page.getByRole("list", { name: "Versions" }).getByText("Version 1").waitFor();
  }, 60_000);

  it("shows the alert matching events raise, acknowledges it and resolves it with a note", async () => {
    const { rules } = await api<RuleList>(server, "GET", "/v1/rules");
    const ruleId = rules[0]?.id ?? "";
    await api(server, "POST", "/v1/events", { events: deniedGrants("live_grant", 3, 0) }, ingestKey);

    await page.goto(`${server.url}/alerts`);
    const row = page.locator("tr", { has: page.locator(`a[href="/rules/${ruleId}"]`) });
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.waitForLoadState("networkidle");
          return row.count();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(1);
    const live = await row.getByRole("list", { name: "Matched events" }).getByRole("link").allTextContents();
    expect(live).toEqual(["live_grant_0", "live_grant_1", "live_grant_2"]);
    await screenshots(page, "alerts-open");

    await row.getByRole("button", { name: "Acknowledge" }).click();
    await expect.poll(() => row.count()).toBe(0);
    await page.getByLabel("Status", { exact: true }).selectOption("acknowledged");
    await row.waitFor();
    expect(await row.textContent()).toMatch(/acknowledged by \S+/);

    await row.getByLabel("Resolution note").fill("Mallory's requests were a misconfigured script; disabled it.");
    await row.getByRole("button", { name: "Resolve" }).click();
    await expect.poll(() => row.count()).toBe(0);
    await page.getByLabel("Status", { exact: true }).selectOption("resolved");
    await row.waitFor();
    const resolved = (await row.textContent()) ?? "";
    expect(resolved).toMatch(/resolved by \S+/);
    expect(resolved).toContain("Mallory's requests were a misconfigured script; disabled it.");
    await screenshots(page, "alerts-resolved");

    // Each matched event opens the existing event detail page.
    await row.getByRole("link", { name: "live_grant_0" }).click();
    await page.waitForURL(`${server.url}/events/live_grant_0`);
    await page.getByText("permission.grant").first().waitFor();

    const alert = (
      await api<{ alerts: { id: string; status: string; resolution_note: string | null }[] }>(
        server,
        "GET",
        `/v1/alerts?status=resolved&rule=${ruleId}`,
      )
    ).alerts;
    expect(alert.map((a) => [a.status, a.resolution_note])).toEqual([
      ["resolved", "Mallory's requests were a misconfigured script; disabled it."],
    ]);
    expect(refused).toEqual([]);
    expect(tp.problems).toEqual([]);
  }, 90_000);
});
