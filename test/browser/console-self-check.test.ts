// The integrity page's Self-check card in real Chromium (issue 12): against a
// server whose schedule runs every 2 s, the card shows the newest real
// integrity.check event, passed, with the size of a checkpoint the log
// signed, and failed with its findings once the log's leaves are edited
// behind the service; against a server with the schedule off, it says none
// has run yet.
import { join } from "node:path";
import Database from "better-sqlite3";
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

  /** A new auditor signed in (each test its own: a person enrols once, and a reused TOTP code is refused). */
  async function signedIn(server: TestServer, username: string): Promise<TestPage> {
    const tp = await openPage(browser, 1280, { locale: "en-US", timezoneId: "UTC" });
    await signIn(tp.page, server, await createPerson(server, username, "auditor"));
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
    const tp = await signedIn(checked, "ada");
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

  it("shows a failed check loudly, with its failures, once leaves were edited behind the service", async () => {
    // Every entry's leaf edited in the tenant's file (its append-only triggers dropped first), so the
    // next check fails whether it hashes new entries or proves sampled older ones.
    const db = new Database(join(checked.dataDir, "tenants", "demo.db"));
    for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as {
      name: string;
    }[]) {
      db.exec(`DROP TRIGGER ${name}`);
    }
    const edited = db
      .prepare(
        'UPDATE entries SET leaf_data = CAST(replace(CAST(leaf_data AS TEXT), \'"action":"\', \'"action":"x\') AS BLOB)',
      )
      .run();
    db.close();
    expect(edited.changes).toBeGreaterThan(0);
    const failed = async () =>
      (await api<{ events: CheckEvent[] }>(checked, "GET", "/v1/events?action=integrity.check&order=desc&limit=1"))
        .events[0]?.event.outcome.status;
    await expect.poll(failed, { timeout: 15_000, interval: 500 }).toBe("failure");

    const tp = await signedIn(checked, "bob");
    const { page } = tp;
    await page.goto(`${checked.url}/integrity`);
    const card = page.getByTestId("self-check");
    const alert = card.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/FAILED\..*trailproof verify/);
    const listed = await alert
      .getByRole("list", { name: "Self-check failures" })
      .getByRole("listitem")
      .allTextContents();
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.join("\n")).toMatch(/do not hash to the root|is not proven in the checkpoint/);
    expect(await card.getByText("Passed.").count()).toBe(0);
    await screenshots(page, "integrity-self-check-failed");
    await tp.context.close();
  }, 90_000);

  it("says no self-check has run yet, and what it is, on a server with the schedule off", async () => {
    const tp = await signedIn(unchecked, "ada");
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
