// Dual control and erasure in real Chromium against the real server: an
// admin (the demo tenant's key) asks in Privacy to erase a subject; it waits
// in Approvals, where the same admin's approval is refused with the server's
// own words; a different admin (a person, signed in with TOTP) approves it;
// the erasure is listed, its receipt downloads and verifies offline, and the
// subject's event and the events list show the erased marker where the
// values were; a requester withdraws a request with Reject.
import { readFileSync } from "node:fs";
import { type ErasureReceipt, verifyErasureReceipt } from "@trailproof/core";
import type { WireApproval, WireErasure } from "@trailproof/protocol";
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
import { CHAIN, ingestChain } from "./scenario.js";

/** The subject of the chain's first event (actor usr_grace, name and IP personal). */
const SUBJECT = "usr_grace";

/** Signs in through "Use an API key instead" on the sign-in page. */
async function signInWithKey(page: Page, server: TestServer, key: string): Promise<void> {
  await page.goto(`${server.url}/sign-in`);
  await page.getByText("Use an API key instead").click();
  await page.getByLabel("API key", { exact: true }).fill(key);
  await page.getByRole("button", { name: "Use API key" }).click();
  await page.getByRole("navigation", { name: "Main" }).waitFor();
}

const approvals = async (server: TestServer) =>
  (await api<{ approvals: WireApproval[] }>(server, "GET", "/v1/approvals")).approvals;

describeBrowser("console approvals and erasure", () => {
  let server: TestServer;
  let browser: Browser;
  let requester: TestPage;
  let approvalId: string;

  beforeAll(async () => {
    server = await startTestServer();
    await ingestChain(server);
    browser = await launchBrowser();
    requester = await openPage(browser);
    await signInWithKey(requester.page, server, server.adminKey);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("requests an erasure that waits in Approvals, and refuses its requester's own approval", async () => {
    const { page } = requester;
    await page.goto(`${server.url}/admin?tab=privacy`);
    await page.getByText("No erasures yet").waitFor();
    await page.getByLabel("Subject id").fill(SUBJECT);
    await page.getByRole("button", { name: "Request erasure" }).click();
    await page.getByText(`Erasure of ${SUBJECT} requested.`).waitFor();

    const pending = (await approvals(server)).filter((a) => a.action === "erasure");
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ status: "pending", request: { subject_id: SUBJECT }, outcome: null });
    approvalId = (pending[0] as WireApproval).id;
    // Nothing is erased before a second admin approves.
    expect((await api<{ erasures: unknown[] }>(server, "GET", "/v1/erasures")).erasures).toEqual([]);
    const before = await api<{ event: { actor: { name: unknown } } }>(server, "GET", `/v1/events/${CHAIN.publish}`);
    expect(before.event.actor.name).toBe("Grace Hopper");

    // The notice points to the Approvals tab, where the request is listed first, pending.
    await page.getByRole("status").getByRole("link", { name: "Approvals" }).click();
    await page.waitForURL(/\/admin\?tab=approvals$/);
    const row = page.locator(`tr[data-approval="${approvalId}"]`);
    await row.waitFor();
    expect(await page.locator("tbody tr").first().getAttribute("data-approval")).toBe(approvalId);
    expect(await row.getByText("pending", { exact: true }).count()).toBe(1);
    expect(await row.textContent()).toContain(`subject_id: ${SUBJECT}`);
    await screenshots(page, "admin-approvals-pending");

    await row.getByRole("button", { name: `Approve ${approvalId}` }).click();
    await row.getByRole("button", { name: `Confirm approve ${approvalId}` }).click();
    const refusal = page.getByRole("alert");
    await refusal.getByText("You cannot approve your own request.").waitFor();
    expect(await refusal.textContent()).toContain("a different admin must approve it");
    expect(await refusal.textContent()).toContain("APPROVAL_OWN_REQUEST");
    expect((await approvals(server)).find((a) => a.id === approvalId)?.status).toBe("pending");
    expect(await row.getByText("pending", { exact: true }).count()).toBe(1);
  }, 90_000);

  it("is approved by a different admin, then listed with a receipt that verifies, and the event shows it erased", async () => {
    expect(approvalId, "the first test requested the erasure").toMatch(/^apr_/);
    const other = await openPage(browser);
    const { page } = other;
    await signIn(page, server, await createPerson(server, "dana", "admin"));
    await page.goto(`${server.url}/admin?tab=approvals`);
    const row = page.locator(`tr[data-approval="${approvalId}"]`);
    await row.getByRole("button", { name: `Approve ${approvalId}` }).click();
    await row.getByRole("button", { name: `Confirm approve ${approvalId}` }).click();
    await page.getByText(`Approved erasure (${approvalId}); it is carried out`).waitFor();
    await row.getByText("approved", { exact: true }).waitFor();
    expect(await row.textContent()).toContain("person:dana");

    const [erasure] = (await api<{ erasures: Omit<WireErasure, "receipt">[] }>(server, "GET", "/v1/erasures")).erasures;
    if (!erasure) throw new Error("the approval erased nothing");
    expect(erasure.values_erased).toBeGreaterThan(0);
    expect(erasure.subject).toMatch(/^psn_/);

    await page.goto(`${server.url}/admin?tab=privacy`);
    const listed = page.locator(`tr[data-erasure="${erasure.id}"]`);
    await listed.waitFor();
    expect(await listed.textContent()).toContain(erasure.subject);
    expect(await listed.textContent()).toContain("person:dana");
    expect(await listed.textContent()).not.toContain(SUBJECT);
    await page.getByText("trailproof verify --erasure-receipt receipt.json --key VERIFIER_KEY").waitFor();
    await screenshots(page, "admin-privacy-erasures");
    // Every column, the Download receipt button included, is in view at 1280 px.
    expect(
      await page.evaluate(
        `(() => { const w = document.querySelector(".table-wrap"); return w.scrollWidth - w.clientWidth; })()`,
      ),
    ).toBe(0);

    // The erasure signs a checkpoint; wait until a signed one covers its entry so the receipt exists.
    await expect
      .poll(async () => (await api<WireErasure>(server, "GET", `/v1/erasures/${erasure.id}`)).receipt !== null)
      .toBe(true);
    const downloading = page.waitForEvent("download");
    await listed.getByRole("button", { name: `Download receipt ${erasure.id}` }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`erasure-receipt-${erasure.id}.json`);
    const path = await download.path();
    const receipt = JSON.parse(readFileSync(path, "utf8")) as ErasureReceipt;
    expect(receipt).toMatchObject({ format: "trailproof-erasure-receipt/v1", erasure_id: erasure.id });
    // Checked offline, as the runbook says, against the verifier key the log publishes.
    const { verifier_key } = await api<{ verifier_key: string }>(server, "GET", "/v1/log/key");
    expect(verifyErasureReceipt(receipt, verifier_key).treeSize).toBeGreaterThan(0n);
    await page.getByText(`Receipt of ${erasure.id} downloaded.`).waitFor();

    // The subject's event: each erased personal value says when and by which erasure, never a raw object.
    await page.goto(`${server.url}/events/${CHAIN.publish}`);
    await page.getByRole("heading", { name: "workflow.update" }).waitFor();
    for (const label of ["Actor name", "IP address"]) {
      const value = page.locator("dt", { hasText: new RegExp(`^${label}$`) }).locator("+ dd");
      const shown = (await value.textContent()) ?? "";
      expect(shown, label).toMatch(new RegExp(`^erased on .+ \\(erasure ${erasure.id}\\)$`));
      expect(await value.locator(".badge").textContent()).toBe("erased");
    }
    expect(await page.getByText("$erased").count()).toBe(0);
    // The privacy summary calls them erased, not "revealed".
    const erasedFields = page.locator("dt", { hasText: /^Erased fields$/ }).locator("+ dd");
    expect(await erasedFields.textContent()).toContain("/actor/name, /context/ip");
    expect(await page.locator("dt", { hasText: /^Personal fields$/ }).count()).toBe(0);
    expect(await page.getByText("Grace Hopper").count()).toBe(0);
    await screenshots(page, "event-detail-erased");

    // The events list names the person by id and marks the erased name, never showing the marker's object.
    await page.goto(`${server.url}/events?q=${encodeURIComponent(`actor:${SUBJECT}`)}`);
    const rows = page.locator("table.events-table tbody tr");
    await rows.first().waitFor();
    expect(await rows.first().locator(".col-actor .badge").textContent()).toBe("erased");
    expect(await page.getByText("Grace Hopper").count()).toBe(0);
    expect(await page.getByText("$erased").count()).toBe(0);
    expect(other.problems).toEqual([]);
    expect(requester.problems).toEqual([]);
    await other.context.close();
  }, 120_000);

  it("lets the requester withdraw a request with Reject: it is listed as rejected and nothing is erased", async () => {
    const { page } = requester;
    await page.goto(`${server.url}/admin?tab=privacy`);
    await page.getByLabel("Subject id").fill("usr_linus");
    await page.getByRole("button", { name: "Request erasure" }).click();
    await page.getByText("Erasure of usr_linus requested.").waitFor();
    const asked = (await approvals(server)).find((a) => a.status === "pending");
    if (!asked) throw new Error("no pending approval after the request");

    await page.goto(`${server.url}/admin?tab=approvals`);
    const row = page.locator(`tr[data-approval="${asked.id}"]`);
    await row.getByRole("button", { name: `Reject ${asked.id}` }).click();
    await row.getByRole("button", { name: `Confirm reject ${asked.id}` }).click();
    await page.getByText(`Rejected erasure (${asked.id}); nothing was changed.`).waitFor();
    await row.getByText("rejected", { exact: true }).waitFor();
    expect(await row.getByRole("button").count()).toBe(0);
    expect((await approvals(server)).find((a) => a.id === asked.id)?.status).toBe("rejected");
    expect((await api<{ erasures: unknown[] }>(server, "GET", "/v1/erasures")).erasures).toHaveLength(1);
  }, 60_000);
});
