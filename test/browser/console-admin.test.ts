// Admin pages and API-key sessions in real Chromium against the real server,
// at 1280 px: a key of each role signs in and every page load asks only what
// its role may read; a key revoked meanwhile is forgotten; a tenant without
// people says so; disabling a person asks first; an unknown tab says so; the
// schemas' privacy column fits; the live viewer tokens are listed.
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  api,
  describeBrowser,
  launchBrowser,
  NAV,
  openPage,
  recordRefusals,
  screenshots,
  startTestServer,
  type TestPage,
  type TestServer,
  visitEveryPage,
} from "./harness.js";
import { ingestChain } from "./scenario.js";

async function createKey(server: TestServer, role: string, name: string): Promise<{ key: string; key_id: string }> {
  return api<{ key: string; key_id: string }>(server, "POST", "/v1/keys", { role, name });
}

/** Signs in through "Use an API key instead" on the sign-in page. */
async function signInWithKey(page: Page, server: TestServer, key: string): Promise<void> {
  if (!page.url().startsWith(`${server.url}/sign-in`)) await page.goto(`${server.url}/sign-in`);
  await page.getByText("Use an API key instead").click();
  await page.getByLabel("API key", { exact: true }).fill(key);
  await page.getByRole("button", { name: "Use API key" }).click();
  await page.getByRole("navigation", { name: "Main" }).waitFor();
}

/** How far the first table on the page overflows its box, in px (0: every column is in view). */
function tableOverflow(page: Page): Promise<number> {
  return page.evaluate(
    `(() => { const w = document.querySelector(".table-wrap"); return w.scrollWidth - w.clientWidth; })()`,
  );
}

const KEPT_KEY = `window.sessionStorage.getItem("trailproof.apiKey")`;

describeBrowser("console admin and API-key sessions", () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    await ingestChain(server);
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const role of ["viewer", "auditor", "admin"] as const) {
    it(`signs in with an API key of role ${role}, then opens and reloads every page, without a single 401 or 403`, async () => {
      const { key } = await createKey(server, role, `${role}-desk`);
      const { page, context, problems } = await openPage(browser);
      const refused = recordRefusals(page);
      // No cookie, no key: the page sends to sign in, which asks whoami (never a 401) and nothing else.
      await page.goto(`${server.url}/events`);
      await page.waitForURL(/\/sign-in\?next=%2Fevents$/);
      await page.getByLabel("Tenant").waitFor();
      await page.waitForLoadState("networkidle");
      // The key is identified by whoami, not by being refused.
      await signInWithKey(page, server, key);
      expect(new URL(page.url()).pathname).toBe("/events");
      expect(await page.locator(".user-name").textContent()).toBe(`${role}-desk`);
      expect(await visitEveryPage(page, server)).toEqual(NAV[role]);
      expect(refused).toEqual([]);
      expect(problems).toEqual([]);
      await context.close();
    }, 120_000);
  }

  it("forgets a key revoked while in use, and one revoked between page loads without meeting a 401", async () => {
    const { page, context } = await openPage(browser);
    const first = await createKey(server, "auditor", "leaving-soon");
    await signInWithKey(page, server, first.key);
    await page.locator("table.events-table tbody tr").first().waitFor();
    await api(server, "DELETE", `/v1/keys/${first.key_id}`);
    // The next read is refused (401): the person is sent to sign in and the key is gone from the tab.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboards" }).click();
    await page.waitForURL(/\/sign-in\?next=%2Fdashboards$/);
    await page.getByText("Your session has ended. Sign in again.").waitFor();
    expect(await page.evaluate(KEPT_KEY)).toBeNull();

    const second = await createKey(server, "auditor", "leaving-later");
    await signInWithKey(page, server, second.key);
    expect(await page.evaluate(KEPT_KEY)).toBe(second.key);
    await api(server, "DELETE", `/v1/keys/${second.key_id}`);
    // At the next load whoami says the kept key is unknown: forgotten, and nothing was refused.
    const refused = recordRefusals(page);
    await page.reload();
    await page.getByText("The saved API key no longer works.").waitFor();
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    expect(await page.evaluate(KEPT_KEY)).toBeNull();
    expect(refused).toEqual([]);
    await context.close();
  }, 60_000);

  let admin: TestPage;

  it("says a tenant has no people yet, adds one, and asks before disabling them", async () => {
    // Signed in with a key: this tenant has no people at all.
    admin = await openPage(browser);
    const page = admin.page;
    await signInWithKey(page, server, server.adminKey);
    await page.goto(`${server.url}/admin?tab=people`);
    await page.getByText("No people yet").waitFor();
    expect(await page.locator("table").count()).toBe(0);
    await screenshots(page, "admin-people-empty");

    await page.getByLabel("Username").fill("carol");
    await page.getByLabel("Display name").fill("Carol Shaw");
    await page.getByLabel("First password").fill("pw-carol-correct-horse-battery");
    await page.getByRole("button", { name: "Add person" }).click();
    await page.getByRole("cell", { name: "carol", exact: true }).waitFor();

    // The first press only asks; nothing is sent until the second.
    await page.getByRole("button", { name: "Disable carol" }).click();
    const confirm = page.getByRole("button", { name: "Confirm disable carol" });
    await confirm.waitFor();
    expect(await page.evaluate("document.activeElement && document.activeElement.textContent")).toBe("Confirm disable");
    const people = async () =>
      (await api<{ people: { username: string; disabled: boolean }[] }>(server, "GET", "/v1/people")).people;
    expect((await people()).find((p) => p.username === "carol")?.disabled).toBe(false);
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Disable carol" }).waitFor();
    expect(await confirm.count()).toBe(0);

    expect(await tableOverflow(page)).toBe(0);
    await page.getByRole("button", { name: "Disable carol" }).click();
    await confirm.click();
    await page.getByText("carol is disabled and signed out everywhere.").waitFor();
    expect((await people()).find((p) => p.username === "carol")?.disabled).toBe(true);
    await page.getByRole("cell", { name: "disabled" }).waitFor();
  }, 60_000);

  it("fits the keys table, Revoke buttons included, beside its form at 1280 px", async () => {
    const page = admin.page;
    await page.goto(`${server.url}/admin?tab=keys`);
    await page.getByRole("cell", { name: "admin-desk", exact: true }).waitFor();
    expect(await tableOverflow(page)).toBe(0);
  }, 60_000);

  it("says there is no such tab instead of quietly showing People", async () => {
    const page = admin.page;
    await page.goto(`${server.url}/admin?tab=peopel`);
    const alert = page.getByRole("alert");
    await expect.poll(() => alert.textContent()).toMatch(/No such tab\..*peopel/);
    expect(await page.getByRole("tabpanel").count()).toBe(0);
    expect(await page.locator("[role=tab][aria-selected=true]").count()).toBe(0);
    await screenshots(page, "admin-no-such-tab");
    await page.getByRole("tab", { name: "People" }).click();
    await page.getByRole("cell", { name: "carol", exact: true }).waitFor();
    expect(await page.getByRole("alert").count()).toBe(0);
  }, 60_000);

  it("fits every schema column, privacy included, inside the table at 1280 px", async () => {
    const page = admin.page;
    expect(page.viewportSize()?.width).toBe(1280);
    await page.goto(`${server.url}/admin?tab=schemas`);
    await page.getByRole("button", { name: "record.update" }).waitFor();
    const fit = await page.evaluate(`(() => {
      const wrap = document.querySelector(".table-wrap");
      const privacy = [...wrap.querySelectorAll("th")].find((th) => th.textContent === "Privacy");
      const w = wrap.getBoundingClientRect(), p = privacy.getBoundingClientRect();
      return { overflow: wrap.scrollWidth - wrap.clientWidth, privacyInside: p.right <= w.right + 0.5 && p.width > 0 };
    })()`);
    expect(fit).toEqual({ overflow: 0, privacyInside: true });
    // A schema's versions open below its row and do not widen the table either.
    await page.getByRole("button", { name: "record.update" }).click();
    await page.getByText("Version 1").first().waitFor();
    expect(await tableOverflow(page)).toBe(0);
    await screenshots(page, "admin-schemas");
  }, 60_000);

  it("lists the live viewer tokens with their viewer and filter, one just issued too, and not an expired one", async () => {
    const page = admin.page;
    await api(server, "POST", "/v1/viewer-tokens", { viewer: { id: "cust_6" }, ttl_seconds: 60 });
    // The server issues tokens for at least 60 s; rather than wait, its catalogue is told this one lapsed.
    const catalogue = new Database(join(server.dataDir, "trailproof.db"));
    try {
      const lapsed = catalogue
        .prepare("UPDATE viewer_tokens SET expires_at = ? WHERE viewer_id = ?")
        .run(new Date(Date.now() - 1000).toISOString(), "cust_6");
      expect(lapsed.changes).toBe(1);
    } finally {
      catalogue.close();
    }
    await api(server, "POST", "/v1/viewer-tokens", {
      viewer: { id: "cust_7", name: "Seven Corp" },
      filter: { tag: "app:crm" },
    });
    await page.goto(`${server.url}/admin?tab=viewer-tokens`);
    const issued = page.getByRole("table", { name: "Viewer tokens issued and not expired, newest first" });
    await issued.getByText("cust_7", { exact: true }).waitFor();
    expect(await issued.locator("tbody tr").first().textContent()).toMatch(/cust_7.*Seven Corp.*tag: app:crm.*valid/);
    expect(await issued.getByText("cust_6").count()).toBe(0);
    expect(await issued.locator("tbody tr").count()).toBe(1);

    await page.getByLabel("Viewer id").fill("cust_8");
    await page.getByLabel("Viewer name (optional)").fill("Eight Ltd");
    await page.getByLabel("Filter: Tag").fill("workspace:acme");
    await page.getByRole("button", { name: "Create viewer token" }).click();
    await page.getByTestId("embed-snippet").waitFor();
    // The list is read again after issuing: the new token is first, newest first.
    await issued.getByText("cust_8", { exact: true }).waitFor();
    expect(await issued.locator("tbody tr").count()).toBe(2);
    expect(await issued.locator("tbody tr").first().textContent()).toMatch(
      /cust_8.*Eight Ltd.*tag: workspace:acme.*valid/,
    );
    // Beside the form at 1280 px, the table still shows every column without scrolling.
    expect(await tableOverflow(page)).toBe(0);
    await screenshots(page, "admin-viewer-tokens");
    expect(admin.problems).toEqual([]);
    await admin.context.close();
  }, 60_000);

  it("shows the retention rules in the order they apply, and the legal holds, read-only", async () => {
    await api(server, "POST", "/v1/tenants/demo/legal-holds", {
      scope: { type: "actor", actor_id: "usr_ada" },
      reason: "litigation 2026-14",
    });
    const { page, context, problems } = await openPage(browser);
    await signInWithKey(page, server, server.adminKey);
    await page.goto(`${server.url}/admin?tab=retention`);
    const rules = page.getByRole("table", { name: "Retention rules" });
    await rules.getByText("Default").waitFor();
    expect(await rules.locator("tbody tr").last().textContent()).toMatch(/Default.*forever/);
    const holds = page.getByRole("table", { name: "Legal holds" });
    await holds.getByText("actor usr_ada").waitFor();
    expect(await holds.locator("tbody tr").first().textContent()).toMatch(
      /actor usr_ada.*litigation 2026-14.*active.*never/,
    );
    await screenshots(page, "admin-retention");
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});
