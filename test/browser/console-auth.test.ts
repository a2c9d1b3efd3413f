// Signing in to the console in real Chromium: password then TOTP enrolment
// (QR code, secret, recovery codes), sign-out, a second sign-in with a fresh
// code, the 401 -> sign-in redirect, what a viewer may not see, and that a
// password session meets no 401 or 403 on any page, the sign-in page included.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  createPerson,
  describeBrowser,
  launchBrowser,
  NAV,
  openPage,
  type Person,
  recordRefusals,
  screenshots,
  signIn,
  startTestServer,
  type TestServer,
  visitEveryPage,
} from "./harness.js";
import { CHAIN, ingestChain } from "./scenario.js";

describeBrowser("console sign-in and roles", () => {
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

  it("enrols TOTP at first sign-in, signs out, and signs in again with a fresh code", async () => {
    const auditor: Person = await createPerson(server, "alice", "auditor");
    const { page, context, problems } = await openPage(browser);
    const refused = recordRefusals(page);

    // No cookie: the page sends to sign in, which learns so from whoami, not from a 401.
    await page.goto(`${server.url}/integrity`);
    await page.waitForURL(/\/sign-in\?next=%2Fintegrity$/);
    await page.getByLabel("Tenant").waitFor();
    await page.waitForLoadState("networkidle");
    expect(refused).toEqual([]);
    await screenshots(page, "sign-in");

    // Wrong password: the page says so and stays on the first step.
    await page.getByLabel("Tenant").fill("demo");
    await page.getByLabel("Username").fill("alice");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Continue" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("not right");

    await signIn(page, server, auditor, { onStep: (step) => screenshots(page, `sign-in-${step}`) });
    // Back where the person was going, with the session cookie (HttpOnly: not visible to scripts).
    expect(new URL(page.url()).pathname).toBe("/integrity");
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === "tp_session");
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe("Strict");
    expect(await page.evaluate("document.cookie")).not.toContain("tp_session");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in$/);
    await page.getByText("You have signed out.").waitFor();
    expect((await context.cookies()).find((c) => c.name === "tp_session")).toBeUndefined();

    // The code used at enrolment is spent: wait for the next 30 s window.
    await signIn(page, server, auditor, { fresh: true });
    expect(new URL(page.url()).pathname).toBe("/events");
    expect(await page.locator(".user-name").textContent()).toBe("Test alice");
    // The only refusal of the whole round is the wrong password.
    expect(refused).toEqual(["401 POST /v1/auth/login (on /sign-in)"]);
    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);

  it("sends a person whose session ended back to sign in, then returns them", async () => {
    const person = await createPerson(server, "bob", "auditor");
    const { page, context } = await openPage(browser);
    await signIn(page, server, person);
    await context.clearCookies();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboards" }).click();
    await page.waitForURL(/\/sign-in\?next=%2Fdashboards$/);
    await page.getByText("Your session has ended. Sign in again.").waitFor();
    await context.close();
  }, 60_000);

  it("hides personal fields and admin pages from a viewer", async () => {
    const viewer = await createPerson(server, "victor", "viewer");
    const { page, context, problems } = await openPage(browser);
    // From the sign-in page on the console asks only what a viewer may read: no 401 or 403 anywhere.
    const refused = recordRefusals(page);
    await signIn(page, server, viewer);

    const nav = page.getByRole("navigation", { name: "Main" });
    expect(await nav.getByRole("link").allTextContents()).toEqual(NAV.viewer);
    await page.locator("table.events-table tbody tr").first().waitFor();
    expect(await page.locator("table.events-table").getByText("withheld (personal)").count()).toBeGreaterThan(0);
    expect(await page.getByText("Grace Hopper").count()).toBe(0);
    await screenshots(page, "events-viewer");

    await page.goto(`${server.url}/events/${CHAIN.publish}`);
    await page.getByRole("heading", { name: "workflow.update" }).waitFor();
    expect(await page.getByText("withheld (personal)").count()).toBeGreaterThanOrEqual(2);
    expect(await page.getByText("Grace Hopper").count()).toBe(0);
    expect(await page.getByText("198.51.100.23").count()).toBe(0);
    expect(await page.getByText("Inclusion proofs are shown to auditors and admins.").count()).toBe(1);
    await screenshots(page, "event-detail-viewer");

    for (const path of ["/admin", "/integrity"]) {
      await page.goto(`${server.url}${path}`);
      await page.getByRole("heading", { name: "Not permitted" }).waitFor();
    }
    await screenshots(page, "not-permitted");
    expect(await visitEveryPage(page, server)).toEqual(NAV.viewer);
    expect(refused).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it("signs an admin in with a password and opens and reloads every page and tab without a 401 or 403", async () => {
    const admin = await createPerson(server, "ada", "admin");
    const { page, context, problems } = await openPage(browser);
    const refused = recordRefusals(page);
    await signIn(page, server, admin);
    expect(await visitEveryPage(page, server)).toEqual(NAV.admin);
    // Signed out, the sign-in page loads again with no cookie and still meets no refusal.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in$/);
    await page.reload();
    await page.getByLabel("Tenant").waitFor();
    await page.waitForLoadState("networkidle");
    expect(refused).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
