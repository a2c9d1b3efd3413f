// The Channels and Deliveries pages in real Chromium against the real
// server and a real webhook receiver: an admin creates a channel (the secret
// shown once, then never again), sends a test, an alert that the receiver
// refuses becomes a dead letter, and redriving it from the Deliveries page
// delivers it, signed with the secret the page showed.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { alertEvent, until, verifySignature, WebhookReceiver } from "../notify/webhook-receiver.js";
import {
  api,
  createPerson,
  describeBrowser,
  launchBrowser,
  openPage,
  recordRefusals,
  signIn,
  startTestServer,
  type TestServer,
} from "./harness.js";

describeBrowser("console channels and deliveries", () => {
  let server: TestServer;
  let browser: Browser;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    server = await startTestServer({
      notifyPollMs: 100,
      notifyMaxAttempts: 2,
      notifyBackoffBaseMs: 50,
      notifyBackoffCapMs: 100,
    });
    await receiver.start();
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await receiver.stop();
    await server?.close();
  });

  it("creates a channel showing its secret once, and redrives a dead letter to delivery", async () => {
    const admin = await createPerson(server, "nora", "admin");
    const { page, context, problems } = await openPage(browser);
    const refused = recordRefusals(page);
    await signIn(page, server, admin);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Channels" }).click();
    await page.getByRole("heading", { name: "Channels", level: 1 }).waitFor();
    await page.getByLabel("Channel name").fill("soc");
    await page.getByLabel("Webhook URL").fill(receiver.url);
    await page.getByRole("button", { name: "Create channel" }).click();
    const secret = (await page.getByTestId("secret-value").textContent()) ?? "";
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole("row", { name: /soc/ }).waitFor();

    await page.getByRole("button", { name: "Send test to soc" }).click();
    await page.getByText(/Test delivered to soc \(HTTP 204/).waitFor();
    expect(
      verifySignature(
        secret,
        receiver.received[0]?.headers["trailproof-signature"] as string,
        receiver.received[0]?.body ?? "",
      ),
    ).toBe(true);
    // Shown once: after a reload the page (and the API) no longer has it.
    await page.reload();
    await page.getByRole("row", { name: /soc/ }).waitFor();
    expect(await page.content()).not.toContain(secret);

    const { channels } = await api<{ channels: { id: string }[] }>(server, "GET", "/v1/channels");
    receiver.status = 503;
    const [raised] = await server.running.data.ledger.append("demo", [alertEvent([channels[0]?.id ?? ""])], {
      appendedBy: { type: "service", id: "alerts" },
      serviceRecord: true,
    });
    expect(raised?.status).toBe("created");
    await until("the dead letter", async () => {
      const list = await api<{ deliveries: unknown[] }>(server, "GET", "/v1/deliveries?status=dead");
      return list.deliveries.length === 1;
    });
    receiver.status = 204;
    const before = receiver.received.length;

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Deliveries" }).click();
    await page.getByLabel("Show").selectOption("dead");
    const redrive = page.getByRole("button", { name: /^Redrive dlv_/ });
    await redrive.waitFor();
    await redrive.click();
    await page.getByText(/will be sent again/).waitFor();
    await until("the redriven delivery", () => receiver.received.length > before);
    const delivered = receiver.received.at(-1);
    expect(verifySignature(secret, delivered?.headers["trailproof-signature"] as string, delivered?.body ?? "")).toBe(
      true,
    );
    expect(JSON.parse(delivered?.body ?? "{}")).toMatchObject({ type: "alert.raise", event_id: raised?.id });
    await until("the delivery recorded", async () => {
      const list = await api<{ deliveries: { status: string }[] }>(server, "GET", "/v1/deliveries?status=delivered");
      return list.deliveries.length === 1;
    });
    await page.getByLabel("Show").selectOption("delivered");
    await page.getByRole("cell", { name: "delivered" }).waitFor();
    expect(refused).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
