// The embedded viewer in real Chromium: a page on another origin frames
// /embed#token=<viewer token>; the events list and a detail show inside the
// iframe, redacted, limited to the token's pinned filter, without chrome.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  api,
  describeBrowser,
  launchBrowser,
  openPage,
  screenshots,
  startTestServer,
  type TestServer,
} from "./harness.js";

describeBrowser("embedded viewer", () => {
  let server: TestServer;
  let host: Server;
  let hostUrl: string;
  let browser: Browser;
  let embedPath = "";

  beforeAll(async () => {
    // The embedding product: a page on its own origin with the iframe snippet.
    host = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(
        `<!doctype html><html><head><title>Acme admin</title></head><body>` +
          `<h1>Acme: your audit trail</h1>` +
          `<iframe src="${server.url}${embedPath}" title="Audit log" width="1100" height="700"></iframe>` +
          `</body></html>`,
      );
    });
    await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
    hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    server = await startTestServer({ embedOrigins: [hostUrl] });
    const token = await api<{ token: string; embed_path: string }>(server, "POST", "/v1/viewer-tokens", {
      viewer: { id: "cust_42", name: "Acme" },
      ttl_seconds: 600,
      filter: { tag: "app:crm" },
    });
    expect(token.embed_path).toBe(`/embed#token=${token.token}`);
    embedPath = token.embed_path;
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await new Promise((resolve) => host?.close(resolve));
  });

  it("shows the pinned, redacted events inside an iframe on another origin, and a detail on click", async () => {
    const { page, problems } = await openPage(browser);
    const sent: string[] = [];
    page.on("request", (r) => sent.push(r.url()));
    await page.goto(hostUrl);
    const frame = page.frameLocator("iframe[title='Audit log']");
    await frame.locator("table.events-table tbody tr").first().waitFor();
    expect(await frame.locator("table.events-table tbody tr").count()).toBeGreaterThan(5);
    expect(await frame.getByRole("navigation", { name: "Main" }).count()).toBe(0);
    expect(await frame.getByText("withheld (personal)").count()).toBeGreaterThan(0);
    // The token travels in the fragment only: no request URL carries it.
    expect(sent.some((u) => u.includes("tpv_"))).toBe(false);
    await screenshots(page, "embed");

    await frame.locator("table.events-table tbody td.col-action button").first().click();
    await frame.getByRole("heading", { name: "Tags" }).waitFor();
    expect(await frame.locator(".tags").textContent()).toContain("app:crm");
    expect(await frame.getByText("withheld (personal)").count()).toBeGreaterThan(0);
    expect(await frame.getByRole("link", { name: "View trace" }).count()).toBe(0);
    await screenshots(page, "embed-detail");
    await frame.getByRole("button", { name: "← Back to the list" }).click();
    await frame.locator("table.events-table tbody tr").first().waitFor();
    expect(problems).toEqual([]);
  });

  it("says so when the token is missing", async () => {
    const { page } = await openPage(browser);
    await page.goto(`${server.url}/embed`);
    await page.getByText("No viewer token").waitFor();
  });
});
