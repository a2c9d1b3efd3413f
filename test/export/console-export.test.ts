// The console's export button in real Chromium (docs/exports.md): an auditor
// on the Events page picks CSV (spreadsheet-safe by default), OCSF and the
// bundle, and downloads each through the button; the files are what the
// server's GET /v1/export makes, with the page's search as their filter. A
// viewer gets no server export.
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { CSV_COLUMNS } from "../../apps/server/src/export/csv-columns.js";
import {
  createPerson,
  describeBrowser,
  launchBrowser,
  openPage,
  recordRefusals,
  signIn,
  startTestServer,
  type TestServer,
} from "../browser/harness.js";
import { ocsfProblems } from "./ocsf-validate.js";

describeBrowser("console export button", () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer({ checkpointIntervalMs: 200 });
    browser = await launchBrowser();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function download(page: Page): Promise<{ url: string; text: string }> {
    const link = page.getByRole("link", { name: "Export", exact: true });
    const url = (await link.getAttribute("href")) ?? "";
    const started = page.waitForEvent("download");
    await link.click();
    return { url, text: readFileSync((await (await started).path()) as string, "utf8") };
  }

  it("downloads CSV (spreadsheet-safe), OCSF and the bundle of the page's search", async () => {
    const { page, problems } = await openPage(browser, 1280, { acceptDownloads: true });
    await signIn(page, server, await createPerson(server, "erin", "auditor"));
    const refusals = recordRefusals(page);
    await page.goto(`${server.url}/events?q=${encodeURIComponent("action:app.*")}`);
    await page.locator("table tbody tr").first().waitFor();
    const format = page.getByLabel("Export format");

    await format.selectOption("csv");
    expect(await page.getByLabel("Spreadsheet-safe").isChecked()).toBe(true);
    const csv = await download(page);
    const query = new URL(csv.url, server.url).searchParams;
    expect(query.get("format")).toBe("csv");
    expect(query.get("safe")).toBe("true");
    expect(query.get("q")).toContain("action:app.*");
    const rows = parse(csv.text, { columns: true }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(0);
    expect(Object.keys(rows[0] ?? {})).toEqual([...CSV_COLUMNS]);
    expect(rows.every((r) => r.action?.startsWith("app."))).toBe(true);

    await page.getByLabel("Spreadsheet-safe").uncheck();
    expect(new URL((await download(page)).url, server.url).searchParams.get("safe")).toBe("false");

    await format.selectOption("ocsf");
    expect(await page.getByLabel("Spreadsheet-safe").count()).toBe(0);
    const ocsf = (await download(page)).text.trimEnd().split("\n");
    expect(ocsf.length).toBe(rows.length);
    for (const line of ocsf) expect(ocsfProblems(JSON.parse(line))).toEqual([]);

    await format.selectOption("bundle");
    const bundle = await download(page);
    expect(new URL(bundle.url, server.url).search).toBe("");
    expect(JSON.parse(bundle.text.split("\n")[0] as string).format).toBe("trailproof-bundle/v2");

    expect(refusals).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("offers a viewer only the on-screen result", async () => {
    const { page } = await openPage(browser, 1280);
    await signIn(page, server, await createPerson(server, "vic", "viewer"));
    await page.goto(`${server.url}/events`);
    await page.getByRole("button", { name: "Download result (NDJSON)" }).waitFor();
    expect(await page.getByLabel("Export format").count()).toBe(0);
  });
});
