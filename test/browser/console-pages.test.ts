// The console in real Chromium against the real server (demo tenant plus a
// causation chain), signed in as an admin through password + TOTP: search,
// event detail with diff and an in-browser proof, trace, entity history,
// automations, dashboards, verify-now, admin; keyboard use and labels; and a
// screenshot of every page at 1280 and 800 px.
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  api,
  apiText,
  checkpointSize,
  createPerson,
  describeBrowser,
  drawnText,
  launchBrowser,
  openPage,
  screenshots,
  signIn,
  startTestServer,
  type TestPage,
  type TestServer,
  WIDTHS,
} from "./harness.js";
import { CHAIN, ingestChain } from "./scenario.js";

/** Inputs without a label, an aria-label or aria-labelledby (their outerHTML). */
const UNLABELLED = `[...document.querySelectorAll("input, select, textarea")]
  .filter((el) => el.type !== "hidden" && !(el.labels && el.labels.length) && !el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby"))
  .map((el) => el.outerHTML.slice(0, 160))`;

async function expectAllLabelled(page: Page): Promise<void> {
  expect(await page.evaluate(UNLABELLED)).toEqual([]);
}

describeBrowser("console pages (admin)", () => {
  let server: TestServer;
  let browser: Browser;
  let tp: TestPage;
  let page: Page;
  let ingestKey: string;

  beforeAll(async () => {
    server = await startTestServer();
    ingestKey = await ingestChain(server);
    browser = await launchBrowser();
    tp = await openPage(browser);
    page = tp.page;
    const admin = await createPerson(server, "ada", "admin");
    await signIn(page, server, admin);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("lists events, and every input on the page has a label", async () => {
    await page.goto(`${server.url}/events`);
    await expect.poll(() => page.locator("table.events-table tbody tr").count()).toBeGreaterThan(20);
    await expect.poll(() => page.getByText(/events shown/).count()).toBe(1);
    for (const label of ["Search events", "Actor", "Action", "Outcome", "Risk", "Time range", "Saved searches"]) {
      expect(await page.getByLabel(label, { exact: true }).count(), label).toBeGreaterThan(0);
    }
    await expectAllLabelled(page);
    await screenshots(page, "events");
  });

  it("searches from the keyboard: Tab to the search box, type a query, Enter", async () => {
    await page.goto(`${server.url}/events`);
    await page.locator("table.events-table tbody tr").first().waitFor();
    let tabs = 0;
    while (
      (await page.evaluate("document.activeElement && document.activeElement.id")) !== "event-search" &&
      tabs < 30
    ) {
      await page.keyboard.press("Tab");
      tabs++;
    }
    expect(tabs).toBeLessThan(30);
    await page.keyboard.type("action:record.update workflow:wf_sync_contacts");
    await page.keyboard.press("Enter");
    await expect
      .poll(() => new URL(page.url()).searchParams.get("q"))
      .toBe("action:record.update workflow:wf_sync_contacts");
    await expect
      .poll(async () => {
        const actions = await page.locator("table.events-table tbody td.col-action a").allTextContents();
        return actions.length > 0 && actions.every((a) => a === "record.update");
      })
      .toBe(true);
  });

  it("shows the server's SEARCH_QUERY_INVALID message, naming the column, under the search box", async () => {
    await page.goto(`${server.url}/events`);
    const search = page.getByLabel("Search events", { exact: true });
    await search.fill("risk:high colour:red");
    await search.press("Enter");
    const alert = page.locator(".field-error[role=alert]");
    await expect.poll(() => alert.textContent()).toMatch(/colour.*column 11/);
    expect(await search.getAttribute("aria-invalid")).toBe("true");
    await screenshots(page, "events-bad-query");
  });

  it("opens an event: before and after side by side with the changes marked, and a valid proof", async () => {
    await page.goto(`${server.url}/events?q=${encodeURIComponent("action:app.page.update")}`);
    await page.locator("table.events-table tbody td.col-action a").first().click();
    await page.getByRole("heading", { name: "Before" }).waitFor();
    await page.getByRole("heading", { name: "After" }).waitFor();
    expect(await page.locator(".json-removed .json-changed").count()).toBeGreaterThan(0);
    expect(await page.locator(".json-added .json-changed").count()).toBeGreaterThan(0);
    const proof = page.getByTestId("proof-status");
    await expect.poll(() => proof.textContent()).toMatch(/Entry [\d,]+ of checkpoint [\d,]+, signature valid/);
    expect(await proof.getAttribute("class")).toContain("proof-ok");
    // Auditors and admins see personal fields revealed.
    expect(await page.getByText("withheld (personal)").count()).toBe(0);
    // The demo data was appended by the service itself, as the leaf says.
    expect(await page.locator("dt:text-is('Appended by') + dd").textContent()).toBe("Service demo");
    await screenshots(page, "event-detail");
  });

  it("names the key that appended an event: its id, as the leaf records it", async () => {
    await page.goto(`${server.url}/events/${CHAIN.update}`);
    const appendedBy = page.locator("dt:text-is('Appended by') + dd");
    // Keys are tpk_<key id>_<secret>: the id, never the secret, is shown.
    const [, keyId, secret] = /^tpk_([0-9a-f]{16})_(.+)$/.exec(ingestKey) ?? [];
    await expect.poll(() => appendedBy.textContent()).toBe(`API key ${keyId}`);
    expect(await page.content()).not.toContain(secret as string);
  });

  it("shows a clear failure when the event shown does not match its proof", async () => {
    // A tampering server: same proof, but one field of the event changed on the way.
    await page.route(`**/v1/events/${CHAIN.update}`, async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      body.event.change.after.discount = 0;
      await route.fulfill({ response, json: body });
    });
    await page.goto(`${server.url}/events/${CHAIN.update}`);
    const proof = page.getByTestId("proof-status");
    await expect.poll(() => proof.textContent()).toContain("Proof FAILED");
    expect(await proof.textContent()).toContain("Leaf hash mismatch");
    expect(await proof.getAttribute("class")).toContain("proof-bad");
    expect(await page.getByText("signature valid").count()).toBe(0);
    await screenshots(page, "event-detail-tampered");
    await page.unroute(`**/v1/events/${CHAIN.update}`);
  });

  it("tails new events live, saves a search, and downloads the result as NDJSON", async () => {
    await page.goto(`${server.url}/events?q=${encodeURIComponent("tag:app:billing")}`);
    await expect.poll(() => page.locator("table.events-table tbody tr").count()).toBe(4);
    await page.getByRole("switch", { name: "Live tail" }).check();
    await api(
      server,
      "POST",
      "/v1/events",
      {
        id: "tail_1",
        action: "app.update",
        occurred_at: new Date().toISOString(),
        actor: { type: "user", id: "usr_linus" },
        target: { type: "app", id: "billing" },
        tags: ["app:billing"],
      },
      ingestKey,
    );
    await expect.poll(() => page.locator("table.events-table tbody tr").count(), { timeout: 10_000 }).toBe(5);
    expect(await page.locator("table.events-table tbody tr").first().textContent()).toContain("app.update");
    await page.getByRole("switch", { name: "Live tail" }).uncheck();

    await page.getByRole("button", { name: "Save this search" }).click();
    await page.getByLabel("Name for this search").fill("Billing");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.goto(`${server.url}/events`);
    await page.getByLabel("Saved searches").selectOption("Billing");
    await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe("tag:app:billing");

    await expect.poll(() => page.locator("table.events-table tbody tr").count()).toBe(5);
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download result (NDJSON)" }).click();
    const file = await (await download).path();
    const lines = readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((e) => e.id)).toContain("tail_1");
    expect(lines).toHaveLength(5);
  });

  it("follows an automation from the changed record to the person who started it", async () => {
    await page.goto(`${server.url}/events/${CHAIN.update}`);
    await page.getByText("apply_discount").first().waitFor();
    await page.getByRole("link", { name: "View trace" }).click();
    const chain = page.getByRole("list", { name: "Causation chain, root cause first" });
    await chain.waitFor();
    const kinds = await chain.locator(".timeline-kind").allTextContents();
    expect(kinds).toEqual(["Person", "Workflow run", "Step apply_discount"]);
    expect(await chain.locator("[aria-current=true] a").textContent()).toBe("record.update");
    const run = page.getByRole("list", { name: "Every event of this run" });
    expect(await run.locator(".timeline-item").count()).toBe(3);
    // Labels may be drawn in capitals; ids never are (innerText is the text as drawn, after text-transform).
    expect(await drawnText(page.locator("#run-title"))).toContain(CHAIN.runId);
    expect(await drawnText(chain.locator(".timeline-kind").last())).toContain("apply_discount");
    await screenshots(page, "trace");
    // From the trace to the root cause, the person's change.
    await chain.getByRole("link", { name: "workflow.update" }).click();
    await page.getByRole("heading", { name: "workflow.update" }).waitFor();
    expect(await page.getByText("Grace Hopper").count()).toBeGreaterThan(0);
  });

  it("shows an entity's history and its state at a moment", async () => {
    await page.goto(`${server.url}/entities/record/inv_1042`);
    await page.getByRole("heading", { name: "History" }).waitFor();
    expect(await page.locator(".history-entry").count()).toBe(1);
    await page.getByLabel("State at", { exact: true }).fill("2099-01-01T00:00");
    await page.getByRole("button", { name: "Show state" }).click();
    await page.getByText(/rebuilt from 1 changes/).waitFor();
    expect(await page.locator(".state-result .json").textContent()).toContain('"discount": 82');
    await screenshots(page, "entity");
  });

  it("formats dates in the browser's locale everywhere, and the page says which locale it speaks", async () => {
    // Chromium draws a date input in its own locale (en-US here, the only one installed: 12/04/2026):
    // the console's dates follow it, month first too, where they used to be "04 Dec".
    await page.goto(`${server.url}/events/${CHAIN.publish}`);
    await expect
      .poll(() => page.locator("dt:text-is('Occurred') + dd").textContent())
      .toMatch(/^[A-Z][a-z]{2} \d\d, \d{4}, \d\d:\d\d:\d\d [AP]M$/);
    expect(await page.evaluate("navigator.language")).toBe("en-US");
    expect(await page.evaluate("document.documentElement.lang")).toBe("en-US");
    // The same signed-in session, read by someone whose browser speaks German.
    const de = await openPage(browser, WIDTHS[0], {
      locale: "de-DE",
      timezoneId: "UTC",
      storageState: await tp.context.storageState(),
    });
    await de.page.goto(`${server.url}/events/${CHAIN.publish}`);
    const occurred = de.page.locator("dt:text-is('Occurred') + dd");
    // "04. Dez. 2026, 15:05:09": day first with a dot, German month; never the "04 Dec" of a fixed locale.
    await expect.poll(() => occurred.textContent()).toMatch(/^\d\d\. Dez\. \d{4}, \d\d:\d\d:\d\d$/);
    expect(await de.page.evaluate("document.documentElement.lang")).toBe("de-DE");
    await de.page.goto(`${server.url}/events`);
    const firstTime = de.page.locator("table.events-table tbody td.col-time time").first();
    await expect.poll(() => firstTime.textContent()).toMatch(/^\d\d\. Dez\.,? \d\d:\d\d:\d\d$/);
    expect(de.problems).toEqual([]);
    await de.context.close();
  });

  it("shows workflows with their runs and opens one run", async () => {
    await page.goto(`${server.url}/automations`);
    await page.getByRole("button", { name: "wf_sync_contacts" }).waitFor();
    await screenshots(page, "automations");
    await page.getByRole("button", { name: CHAIN.workflowId }).click();
    await page.getByRole("link", { name: CHAIN.runId }).click();
    await page.getByRole("list", { name: `Events of run ${CHAIN.runId}, in order` }).waitFor();
    expect(await page.locator(".timeline-item").count()).toBe(3);
    expect(await drawnText(page.locator(".timeline-kind", { hasText: /^Step/i }).first())).toContain("apply_discount");
    await screenshots(page, "automation-run");
  });

  it("draws dashboards as SVG charts from /v1/stats (a lazily loaded chunk)", async () => {
    await page.goto(`${server.url}/events`);
    const chunk = page.waitForResponse((r) => /\/assets\/DashboardsPage-.*\.js$/.test(r.url()));
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboards" }).click();
    await chunk;
    await expect.poll(() => page.locator(".chart svg.recharts-surface").count()).toBeGreaterThanOrEqual(6);
    await expect
      .poll(() => page.locator(".chart svg .recharts-area-area, .chart svg .recharts-rectangle").count())
      .toBeGreaterThan(0);
    await screenshots(page, "dashboards");

    // Actors are counted by pseudonym; an admin resolves one, giving a reason, and sees the id.
    const stats = await api<{ groups: string[] }>(
      server,
      "GET",
      `/v1/stats?group_by=actor&pseudonyms=true&bucket=day&from=${new Date(Date.now() - 30 * 86_400_000).toISOString()}`,
    );
    const pseudonym = stats.groups.find((g) => g.startsWith("psn_")) as string;
    expect(pseudonym).toMatch(/^psn_[0-9a-f]{32}$/);
    const resolver = page.getByRole("region", { name: "Resolve a pseudonym" });
    await resolver.getByLabel("Pseudonym").fill(pseudonym);
    await resolver.getByLabel("Reason").fill("browser check");
    await resolver.getByRole("button", { name: "Resolve" }).click();
    const resolved = page.getByTestId("pseudonym-resolved");
    await resolved.waitFor();
    const viaApi = await api<{ id: string }>(server, "POST", "/v1/pseudonyms/resolve", {
      pseudonym,
      reason: "browser check, compared",
    });
    expect(viaApi.id).not.toMatch(/^psn_/);
    expect(await resolved.textContent()).toBe(`${pseudonym} is ${viaApi.id}`);
  });

  it("hides the meta-audit's records of reads from the event list, one click and a shareable URL away", async () => {
    // A read now, so the newest entry of the log is a meta-audit record.
    await api(server, "GET", "/v1/events?limit=1");
    const actions = () => page.locator("table.events-table tbody td.col-action a").allTextContents();
    const hasMetaAudit = async () => (await actions()).some((a) => a.startsWith("audit."));
    await page.goto(`${server.url}/events`);
    await expect.poll(async () => (await actions()).length).toBeGreaterThan(20);
    expect(await hasMetaAudit()).toBe(false);
    const toggle = page.getByRole("switch", { name: "Show meta-audit" });
    expect(await toggle.isChecked()).toBe(false);

    await toggle.check();
    await expect.poll(() => new URL(page.url()).searchParams.get("meta_audit")).toBe("1");
    await expect.poll(hasMetaAudit).toBe(true);
    // The URL is the choice: opened elsewhere, it shows the same.
    const shared = page.url();
    await page.goto(`${server.url}/events`);
    await page.goto(shared);
    await expect.poll(hasMetaAudit).toBe(true);
    expect(await page.getByRole("switch", { name: "Show meta-audit" }).isChecked()).toBe(true);
    // A search keeps the choice.
    const search = page.getByLabel("Search events", { exact: true });
    await search.fill("action:audit.*");
    await search.press("Enter");
    await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe("action:audit.*");
    expect(new URL(page.url()).searchParams.get("meta_audit")).toBe("1");
    await expect
      .poll(async () => (await actions()).length > 0 && (await actions()).every((a) => a.startsWith("audit.")))
      .toBe(true);
    await screenshots(page, "events-meta-audit");

    await page.getByRole("switch", { name: "Show meta-audit" }).uncheck();
    await expect.poll(() => new URL(page.url()).searchParams.get("meta_audit")).toBeNull();
    await page.getByText("No events match").waitFor();
  });

  it("leaves the meta-audit out of the dashboards unless asked, top actors included", async () => {
    // Each /v1/stats request as "group_by q".
    const statsQueries: string[] = [];
    const onRequest = (r: { url(): string }) => {
      const url = new URL(r.url());
      if (url.pathname === "/v1/stats")
        statsQueries.push(`${url.searchParams.get("group_by") ?? "-"} ${url.searchParams.get("q") ?? "(none)"}`);
    };
    page.on("request", onRequest);
    const total = page.locator(".kpi-value").first();
    const eventsCounted = async () => Number((await total.textContent())?.replace(/\D/g, ""));
    await page.goto(`${server.url}/dashboards`);
    await expect.poll(() => statsQueries.length, { timeout: 20_000 }).toBe(6);
    expect(statsQueries).toContain("actor -action:audit.*");
    expect(statsQueries.every((q) => q.endsWith(" -action:audit.*"))).toBe(true);
    await total.waitFor({ timeout: 20_000 });
    const withoutMetaAudit = await eventsCounted();
    await page.locator("section[aria-labelledby=chart-top-actors] .chart svg").waitFor();

    statsQueries.length = 0;
    await page.getByRole("switch", { name: "Show meta-audit" }).check();
    await expect.poll(() => new URL(page.url()).searchParams.get("meta_audit")).toBe("1");
    await expect.poll(() => statsQueries.length, { timeout: 20_000 }).toBe(6);
    expect(statsQueries).toContain("actor (none)");
    expect(statsQueries.every((q) => q.endsWith(" (none)"))).toBe(true);
    // Every page this suite opened was read, and each read recorded: they are counted now.
    await expect.poll(eventsCounted, { timeout: 20_000 }).toBeGreaterThan(withoutMetaAudit);
    await screenshots(page, "dashboards-meta-audit");
    page.off("request", onRequest);
  });

  it("verifies the whole log in the browser with a progress bar that reaches 100%", async () => {
    await page.goto(`${server.url}/integrity`);
    await page.getByTestId("verifier-key").waitFor();
    await expect.poll(() => page.locator(".chart svg.recharts-surface").count()).toBe(1);
    const note = page.locator(".checkpoint-note");
    const sizeShown = async () => checkpointSize((await note.textContent()) ?? "");
    const before = await sizeShown();
    // The log grows after the page loaded: the card must then show the checkpoint verified, not the one loaded.
    await api(
      server,
      "POST",
      "/v1/events",
      {
        id: "integrity_1",
        action: "app.update",
        occurred_at: new Date().toISOString(),
        actor: { type: "user", id: "usr_ada" },
        target: { type: "app", id: "billing" },
      },
      ingestKey,
    );
    await expect
      .poll(async () => checkpointSize(await apiText(server, "/v1/log/checkpoint")), { timeout: 10_000 })
      .toBeGreaterThan(before);
    await page.getByRole("button", { name: "Verify now" }).click();
    const result = page.locator(".verify-result");
    await result.waitFor({ timeout: 60_000 });
    expect(await result.textContent()).toMatch(/Log valid\..*signature valid/);
    const verified = Number(
      (/match checkpoint ([\d,]+)/.exec((await result.textContent()) ?? "")?.[1] ?? "").replaceAll(",", ""),
    );
    expect(verified).toBeGreaterThan(before);
    expect(await sizeShown()).toBe(verified);
    expect(await page.getByLabel("Verification progress").getAttribute("value")).toBe("100");
    expect(await page.locator(".progress-text").textContent()).toMatch(/^100% · ([\d,]+) of \1 entries$/);
    await screenshots(page, "integrity");
  });

  it("administers: keys shown once, people, a viewer token with its embed snippet", async () => {
    await page.goto(`${server.url}/admin`);
    await page.getByRole("cell", { name: "ada", exact: true }).waitFor();
    await expectAllLabelled(page);
    await screenshots(page, "admin-people");

    await page.getByRole("tab", { name: "API keys" }).click();
    await page.getByLabel("Key name").fill("warehouse-sync");
    await page.getByLabel("Key role").selectOption("ingest");
    await page.getByRole("button", { name: "Create key" }).click();
    await expect.poll(() => page.getByTestId("secret-value").textContent()).toMatch(/^tpk_/);
    await page.getByRole("cell", { name: "warehouse-sync", exact: true }).waitFor();
    await screenshots(page, "admin-keys");

    await page.getByRole("tab", { name: "Embedded viewer" }).click();
    await page.getByLabel("Viewer id").fill("cust_42");
    await page.getByLabel("Filter: Tag").fill("app:crm");
    await page.getByRole("button", { name: "Create viewer token" }).click();
    await expect
      .poll(() => page.getByTestId("embed-snippet").textContent())
      .toMatch(new RegExp(`^<iframe src="${server.url}/embed#token=tpv_`));
    await screenshots(page, "admin-viewer-token");

    await page.getByRole("tab", { name: "Schemas" }).click();
    await page.getByRole("button", { name: "record.update" }).waitFor();
    await page.getByRole("tab", { name: "Settings" }).click();
    await page.getByRole("radio", { name: /Accept/ }).check();
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("Saved. The change is recorded").waitFor();
    await screenshots(page, "admin-settings");
  });

  it("broke no Content-Security-Policy rule on any page", () => {
    expect(tp.problems).toEqual([]);
  });
});
