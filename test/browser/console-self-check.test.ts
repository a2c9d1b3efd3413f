// The integrity page's Self-check card in real Chromium (issue 12): against a
// server whose schedule runs every 2 s, the card shows the newest real
// integrity.check event, passed, with the size of a checkpoint the log
// signed; against a server with the schedule off, it says none has run yet.
import type { Browser } from "playwright-core";
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

interface CheckEvent {
  index: number;
  event: {
    id: string;
    occurred_at: string;
    actor: { type: string; id: string };
    outcome: { status: string };
    metadata: { checkpoint_size: number; new_entries: number; sampled: number; failures: string[] };
  };
}

/** The console's date format (lib/format.ts) in the page's locale and zone. */
const shownTime = (iso: string) =>
  new Intl.DateTimeFormat("en-US", {
    year: "numeric",
    month: "short",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    timeZone: "UTC",
  }).format(new Date(iso));

describeBrowser("console self-check card", () => {
  let checked: TestServer;
  let unchecked: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    checked = await startTestServer({ selfCheckIntervalMs: 2000 });
    unchecked = await startTestServer({ selfCheckIntervalMs: 0 });
    browser = await launchBrowser();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await checked?.close();
    await unchecked?.close();
  });

  async function signedIn(server: TestServer): Promise<TestPage> {
    const tp = await openPage(browser, 1280, { locale: "en-US", timezoneId: "UTC" });
    await signIn(tp.page, server, await createPerson(server, "ada", "auditor"));
    return tp;
  }

  it("shows the last scheduled check: passed, when, and the signed checkpoint size it reached", async () => {
    // A real check runs within an interval or two of the server starting.
    await expect
      .poll(
        async () =>
          (await api<{ events: CheckEvent[] }>(checked, "GET", "/v1/events?action=integrity.check&limit=1")).events
            .length,
        { timeout: 15_000, interval: 500 },
      )
      .toBe(1);
    const tp = await signedIn(checked);
    const { page } = tp;
    await page.goto(`${checked.url}/integrity`);
    const card = page.getByTestId("self-check");
    await card.getByText("Passed.").waitFor();

    // The card names the event it shows; its numbers must be that event's.
    const href = (await card.getByRole("link", { name: "The check's event" }).getAttribute("href")) ?? "";
    const id = decodeURIComponent(href.replace(/^\/events\//, ""));
    const shown = await api<CheckEvent>(checked, "GET", `/v1/events/${encodeURIComponent(id)}`);
    expect(shown.event.actor).toEqual({ type: "system", id: "self-check" });
    expect(shown.event.outcome.status).toBe("success");
    const { checkpoint_size: size, new_entries: newEntries, sampled } = shown.event.metadata;
    // The newest check when the page loaded, or one the 2 s schedule appended since.
    const newest = await api<{ events: CheckEvent[] }>(
      checked,
      "GET",
      "/v1/events?action=integrity.check&order=desc&limit=5",
    );
    expect(newest.events.map((e) => e.event.id)).toContain(id);

    // The size checked is one the log signed, and the check came after the entries it covered.
    const { checkpoints } = await api<{ checkpoints: { tree_size: number }[] }>(
      checked,
      "GET",
      "/v1/log/checkpoints?limit=1000",
    );
    expect(checkpoints.map((c) => c.tree_size)).toContain(size);
    expect(size).toBeGreaterThan(0);
    expect(shown.index).toBeGreaterThanOrEqual(size);

    expect(await card.getByTestId("self-check-size").textContent()).toBe(size.toLocaleString("en-US"));
    expect(await card.getByTestId("self-check-new").textContent()).toBe(newEntries.toLocaleString("en-US"));
    expect(await card.getByTestId("self-check-sampled").textContent()).toBe(sampled.toLocaleString("en-US"));
    expect(await card.getByTestId("self-check-ran").textContent()).toBe(shownTime(shown.event.occurred_at));
    expect(await card.getByRole("alert").count()).toBe(0);
    expect(await card.getByText("No self-check has run yet").count()).toBe(0);
    expect(tp.problems).toEqual([]);
    await screenshots(page, "integrity-self-check");
    await tp.context.close();
  }, 90_000);

  it("says no self-check has run yet, and what it is, on a server with the schedule off", async () => {
    const tp = await signedIn(unchecked);
    const { page } = tp;
    await page.goto(`${unchecked.url}/integrity`);
    const card = page.getByTestId("self-check");
    await card.getByText("No self-check has run yet.").waitFor();
    expect(await card.textContent()).toMatch(/every 10 minutes by default \(TRAILPROOF_SELF_CHECK_INTERVAL_MS\)/);
    expect(await card.getByTestId("self-check-size").count()).toBe(0);
    expect(tp.problems).toEqual([]);
    await screenshots(page, "integrity-self-check-none");
    await tp.context.close();
  }, 90_000);
});
