// Admin pages and API-key sessions in real Chromium against the real server,
// at 1280 px: a key signs in and page loads ask only what its role may read;
// a tenant without people says so; disabling a person asks first; an unknown
// tab says so; the schemas' privacy column fits; issued viewer tokens are listed.
import type { Browser, Page, Response } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  api,
  describeBrowser,
  launchBrowser,
  openPage,
  screenshots,
  startTestServer,
  type TestPage,
  type TestServer,
} from "./harness.js";
import { ingestChain } from "./scenario.js";

async function createKey(server: TestServer, role: string, name: string): Promise<string> {
  return (await api<{ key: string }>(server, "POST", "/v1/keys", { role, name })).key;
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

/** Every refused /v1 request the page makes from now on, as "STATUS METHOD path". */
function recordRefusals(page: Page): string[] {
  const refused: string[] = [];
  page.on("response", (r: Response) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith("/v1/") && r.status() >= 400)
      refused.push(`${r.status()} ${r.request().method()} ${url.pathname} (on ${new URL(page.url()).pathname})`);
  });
  return refused;
}

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

  it("signs a viewer key in and loads pages without a 401 or 403: it asks only what a viewer may read", async () => {
    const key = await createKey(server, "viewer", "support-desk");
    const { page, context, problems } = await openPage(browser);
    // From the sign-in page on: the key is identified there, not by being refused.
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel("Tenant").waitFor();
    const refused = recordRefusals(page);
    await signInWithKey(page, server, key);
    const nav = page.getByRole("navigation", { name: "Main" });
    expect(await nav.getByRole("link").allTextContents()).toEqual(["Events", "Automations", "Dashboards"]);
    await page.locator("table.events-table tbody tr").first().waitFor();
    // Every page a viewer has, each a full page load.
    await page.goto(`${server.url}/dashboards`);
    await expect
      .poll(() => page.locator(".chart svg.recharts-surface").count(), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(6);
    await page.goto(`${server.url}/automations`);
    await page.getByRole("button", { name: "wf_sync_contacts" }).waitFor();
    await page.reload();
    await page.getByRole("button", { name: "wf_sync_contacts" }).waitFor();
    await page.goto(`${server.url}/events`);
    await page.locator("table.events-table tbody tr").first().waitFor();
    expect(refused).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it("reloads an admin key's console without asking the cookie-only session endpoint", async () => {
    const key = await createKey(server, "admin", "operator");
    const { page, context } = await openPage(browser);
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel("Tenant").waitFor();
    const refused = recordRefusals(page);
    await signInWithKey(page, server, key);
    await page.goto(`${server.url}/admin?tab=keys`);
    await page.getByRole("cell", { name: "operator", exact: true }).waitFor();
    // Beside the form at 1280 px, every column (the Revoke buttons too) is in view.
    expect(await tableOverflow(page)).toBe(0);
    await page.reload();
    await page.getByRole("cell", { name: "operator", exact: true }).waitFor();
    expect(refused).toEqual([]);
    expect(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).count()).toBe(1);
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

  it("lists the viewer tokens already issued, with their viewer, filter and expiry", async () => {
    const page = admin.page;
    await api(server, "POST", "/v1/viewer-tokens", { viewer: { id: "cust_7" }, filter: { tag: "app:crm" } });
    await page.goto(`${server.url}/admin?tab=viewer-tokens`);
    const issued = page.getByRole("table", { name: "Viewer tokens issued, newest first" });
    await issued.getByRole("cell", { name: "cust_7", exact: true }).waitFor();
    expect(await issued.locator("tbody tr").first().textContent()).toMatch(/tag: app:crm.*valid/);

    await page.getByLabel("Viewer id").fill("cust_8");
    await page.getByRole("button", { name: "Create viewer token" }).click();
    await page.getByTestId("embed-snippet").waitFor();
    await issued.getByRole("cell", { name: "cust_8", exact: true }).waitFor();
    expect(await issued.locator("tbody tr").count()).toBe(2);
    // Beside the form at 1280 px, the table still shows every column without scrolling.
    expect(await tableOverflow(page)).toBe(0);
    await screenshots(page, "admin-viewer-tokens");
    expect(admin.problems).toEqual([]);
    await admin.context.close();
  }, 60_000);
});
