// The Streams pages in real Chromium against the real server and a real
// node:http receiver: an admin's bad form gets the API's problems beside
// its fields; a webhook stream is created (its secret shown once), events
// ingested over the API arrive signed with that secret while the page's
// delivered count rises; pausing holds them back, resuming sends them;
// rotating shows a new secret that signs from then on; deleting asks first.
// An auditor sees the list and a stream's health but no way to change them.
// Syslog and NATS streams made through the form send what was typed; a
// failing one shows its last error; a NATS token is rotated by typing it.
import { createServer } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { verifySignature, WebhookReceiver } from "../notify/webhook-receiver.js";
import {
  api,
  createPerson,
  describeBrowser,
  launchBrowser,
  openPage,
  recordRefusals,
  screenshots,
  signIn,
  startTestServer,
  type TestServer,
} from "./harness.js";

let counter = 0;
/** `n` user.login events (what the stream's filter keeps) and one record.update it passes over. */
function logins(n: number): Record<string, unknown>[] {
  const at = new Date().toISOString();
  const login = () => {
    counter += 1;
    return {
      id: `login_${counter}`,
      action: "user.login",
      occurred_at: at,
      actor: { type: "user", id: "usr_ada", name: "Ada" },
      target: { type: "session", id: `ses_${counter}` },
      outcome: { status: "success" },
    };
  };
  counter += 1;
  const other = {
    id: `update_${counter}`,
    action: "record.update",
    occurred_at: at,
    actor: { type: "user", id: "usr_ada", name: "Ada" },
    target: { type: "record", id: `rec_${counter}` },
    outcome: { status: "success" },
  };
  return [...Array.from({ length: n }, login), other];
}

/** The NDJSON lines the receiver got, each with the secret that signed its batch (or none of those given). */
function linesSignedBy(receiver: WebhookReceiver, secrets: Record<string, string>) {
  return receiver.received.flatMap((r) => {
    const signer = Object.entries(secrets).find(([, s]) =>
      verifySignature(s, r.headers["trailproof-signature"] as string | undefined, r.body),
    )?.[0];
    return r.body
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => ({ signer, line: l }));
  });
}

/** A port on 127.0.0.1 that nothing listens on (taken, then let go). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const kpi = (page: Page, label: string) =>
  page
    .getByTestId("stream-health")
    .locator(".kpi")
    .filter({ has: page.locator(".kpi-label").getByText(label, { exact: true }) })
    .locator(".kpi-value");

describeBrowser("console streams", () => {
  let server: TestServer;
  let browser: Browser;
  let ingestKey: string;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    server = await startTestServer({ streamTickMs: 200, streamBackoffBaseMs: 50, streamBackoffCapMs: 200 });
    await receiver.start();
    ({ key: ingestKey } = await api<{ key: string }>(server, "POST", "/v1/keys", { role: "ingest", name: "streams" }));
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await receiver.stop();
    await server?.close();
  });

  const ingest = (n: number) => api(server, "POST", "/v1/events", { events: logins(n) }, ingestKey);

  it("lets an admin create, watch, pause, resume, rotate and delete a webhook stream", async () => {
    const admin = await createPerson(server, "sia", "admin");
    const { page, context, problems } = await openPage(browser);
    page.setDefaultTimeout(15_000);
    const refused = recordRefusals(page);
    await signIn(page, server, admin);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Streams" }).click();
    await page.getByRole("heading", { name: "Streams", level: 1 }).waitFor();
    await page.getByText("No streams yet").waitFor();

    // The API's problems, each beside the field it names.
    const form = page.getByRole("form", { name: "New stream" });
    await form.getByLabel("Stream name").fill("soc siem");
    await form.getByLabel("Webhook URL").fill("http://siem.example/in");
    await form.getByLabel("Filter").fill("action:user.login colour:red");
    await form.getByRole("button", { name: "Create stream" }).click();
    await expect.poll(() => form.getByLabel("Webhook URL").getAttribute("aria-invalid")).toBe("true");
    expect(await form.getByLabel("Webhook URL").getAttribute("aria-invalid")).toBe("true");
    expect(await form.getByLabel("Filter").getAttribute("aria-invalid")).toBe("true");
    expect(await form.getByLabel("Stream name").getAttribute("aria-invalid")).toBe("false");
    const problemOf = async (label: string) =>
      form.locator(`[id="${await form.getByLabel(label).getAttribute("aria-describedby")}"]`).textContent();
    expect(await problemOf("Webhook URL")).toContain("must use https");
    expect(await problemOf("Filter")).toContain('unknown key "colour"');
    expect(refused.splice(0)).toEqual(["400 POST /v1/streams (on /streams)"]);

    // Created: the signing secret once.
    await form.getByLabel("Webhook URL").fill(receiver.url);
    await form.getByLabel("Filter").fill("action:user.login");
    await form.getByLabel("Format").selectOption("native");
    await form.getByRole("button", { name: "Create stream" }).click();
    const secret = (await page.getByTestId("secret-value").textContent()) ?? "";
    expect(secret).toMatch(/^whsec_/);
    await page.getByText("It is shown only now").waitFor();
    const row = page.getByRole("row", { name: /soc siem/ });
    await row.waitFor();
    expect(await row.textContent()).toContain(`http://127.0.0.1:${receiver.port}`);
    expect(await row.textContent()).not.toContain("/hook");

    // Delivered: the page's count rises and the receiver has the events, signed with the shown secret.
    await ingest(3);
    await row.getByRole("link", { name: "soc siem" }).click();
    await page.getByRole("heading", { name: "soc siem", level: 1 }).waitFor();
    await expect.poll(() => kpi(page, "Delivered").textContent(), { timeout: 20_000 }).toBe("3");
    expect(await kpi(page, "Lag (entries)").textContent()).toBe("0");
    let lines = linesSignedBy(receiver, { first: secret });
    expect(lines.map((l) => l.signer)).toEqual(["first", "first", "first"]);
    expect(lines.every((l) => l.line.includes('"user.login"'))).toBe(true);

    // Paused: nothing is sent, the lag shows it; resumed: what waited arrives.
    await page.getByRole("button", { name: "Pause", exact: true }).click();
    await page.getByText("Paused: nothing is sent").waitFor();
    await page.getByText("paused", { exact: true }).waitFor();
    await ingest(2);
    await expect.poll(() => kpi(page, "Lag (entries)").textContent(), { timeout: 20_000 }).not.toBe("0");
    // Ticks every 200 ms would have sent them by now, were the stream not paused.
    await page.waitForTimeout(1000);
    expect(linesSignedBy(receiver, { first: secret })).toHaveLength(3);
    await page.getByRole("button", { name: "Resume", exact: true }).click();
    await page.getByText("Resumed.").waitFor();
    await expect.poll(() => kpi(page, "Delivered").textContent(), { timeout: 20_000 }).toBe("5");
    await expect.poll(() => kpi(page, "Lag (entries)").textContent(), { timeout: 20_000 }).toBe("0");
    expect(linesSignedBy(receiver, { first: secret })).toHaveLength(5);

    // Rotated: a new secret, shown once, signs what is sent next; the old one no longer does.
    await page.getByRole("button", { name: "Rotate secret" }).click();
    await page.getByRole("button", { name: "Confirm: replace the signing secret now" }).click();
    await page.getByText(/signing secret of soc siem was replaced/).waitFor();
    const rotated = (await page.getByTestId("secret-value").textContent()) ?? "";
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await ingest(1);
    await expect.poll(() => kpi(page, "Delivered").textContent(), { timeout: 20_000 }).toBe("6");
    await screenshots(page, "stream-detail");
    lines = linesSignedBy(receiver, { first: secret, rotated });
    expect(lines.map((l) => l.signer)).toEqual(["first", "first", "first", "first", "first", "rotated"]);

    // Shown once: after a reload neither secret is on the page.
    await page.reload();
    await page.getByRole("heading", { name: "soc siem", level: 1 }).waitFor();
    await kpi(page, "Delivered").waitFor();
    const html = await page.content();
    expect(html).not.toContain(secret);
    expect(html).not.toContain(rotated);

    // Deleted from the list, after a confirmation.
    await page.getByRole("link", { name: "Streams" }).first().click();
    await page.getByRole("heading", { name: "Streams", level: 1 }).waitFor();
    await screenshots(page, "streams");
    await page.getByRole("button", { name: "Delete soc siem" }).click();
    expect(await page.getByRole("row", { name: /soc siem/ }).count()).toBe(1);
    await page.getByRole("button", { name: "Confirm delete soc siem" }).click();
    await page.getByText("soc siem deleted.").waitFor();
    await page.getByText("No streams yet").waitFor();
    const { streams } = await api<{ streams: unknown[] }>(server, "GET", "/v1/streams");
    expect(streams).toEqual([]);
    expect(refused).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);

  it("shows an auditor the streams and their health, with no way to change them", async () => {
    const { stream } = await api<{ stream: { id: string } }>(server, "POST", "/v1/streams", {
      name: "audit copy",
      destination: { type: "webhook", url: receiver.url },
      filter: "action:user.login",
    });
    const auditor = await createPerson(server, "aud", "auditor");
    const { page, context, problems } = await openPage(browser);
    page.setDefaultTimeout(15_000);
    const refused = recordRefusals(page);
    await signIn(page, server, auditor);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Streams" }).click();
    const row = page.getByRole("row", { name: /audit copy/ });
    await row.waitFor();
    expect(await row.textContent()).toContain("webhook");
    expect(await page.getByRole("columnheader", { name: "Delivered" }).count()).toBe(1);
    expect(
      await page
        .getByRole("button")
        .filter({ hasText: /Pause|Resume|Delete/ })
        .count(),
    ).toBe(0);
    expect(await page.getByRole("form", { name: "New stream" }).count()).toBe(0);
    expect(await page.getByRole("heading", { name: "Add a stream" }).count()).toBe(0);

    await row.getByRole("link", { name: "audit copy" }).click();
    await page.getByRole("heading", { name: "audit copy", level: 1 }).waitFor();
    await kpi(page, "Delivered").waitFor();
    expect(
      await page
        .getByRole("button")
        .filter({ hasText: /Pause|Resume|Delete|Rotate/ })
        .count(),
    ).toBe(0);
    expect(page.url()).toBe(`${server.url}/streams/${stream.id}`);
    expect(refused).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it("creates syslog and NATS streams through the form: a failing one's last error, a NATS token rotated, no secret to rotate for syslog", async () => {
    const port = await closedPort();
    const admin = await createPerson(server, "ops", "admin");
    const { page, context, problems } = await openPage(browser);
    page.setDefaultTimeout(15_000);
    await signIn(page, server, admin);
    await page.goto(`${server.url}/streams`);
    const form = page.getByRole("form", { name: "New stream" });

    await form.getByLabel("Stream name").fill("dead syslog");
    await form.getByLabel("Destination type").selectOption("syslog");
    await form.getByLabel("Syslog host").fill("127.0.0.1");
    await form.getByLabel("Port").fill(String(port));
    await form.getByLabel(/^TLS/).uncheck();
    expect(await form.getByLabel("CA certificate (PEM)").count()).toBe(0);
    await form.getByLabel("App name").fill("tp-test");
    await form.getByLabel("Facility").selectOption("10");
    await form.getByLabel("Start").selectOption("beginning");
    await form.getByRole("button", { name: "Create stream" }).click();
    await page.getByText("Stream dead syslog created.").waitFor();
    expect(await page.getByTestId("secret-value").count()).toBe(0);

    await form.getByLabel("Stream name").fill("nats copy");
    await form.getByLabel("Destination type").selectOption("nats");
    await form.getByLabel("NATS servers").fill(`nats://127.0.0.1:${port}, nats://localhost:${port}`);
    await form.getByLabel("Subject").fill("audit.copy");
    await form.getByLabel("Token").fill("t0ken-first");
    await form.getByLabel("Format").selectOption("cef");
    await form.getByLabel("Personal data").selectOption("pseudonymise");
    await form.getByRole("button", { name: "Create stream" }).click();
    await page.getByText("Stream nats copy created.").waitFor();
    expect(await page.getByTestId("secret-value").count()).toBe(0);

    const { streams } = await api<{
      streams: { id: string; name: string; destination: unknown; has_secret: boolean }[];
    }>(server, "GET", "/v1/streams");
    const syslog = streams.find((s) => s.name === "dead syslog");
    const nats = streams.find((s) => s.name === "nats copy");
    expect(syslog?.destination).toEqual({
      type: "syslog",
      host: "127.0.0.1",
      port,
      tls: false,
      app_name: "tp-test",
      facility: 10,
    });
    expect(nats).toMatchObject({
      has_secret: true,
      destination: {
        type: "nats",
        servers: [`nats://127.0.0.1:${port}`, `nats://localhost:${port}`],
        subject: "audit.copy",
      },
      format: "cef",
      personal: "pseudonymise",
    });

    await page.getByRole("link", { name: "dead syslog" }).click();
    await page.getByRole("heading", { name: "dead syslog", level: 1 }).waitFor();
    await page.getByText("failing", { exact: true }).waitFor({ timeout: 20_000 });
    await page.getByText(/^Last error, /).waitFor();
    expect(await kpi(page, "Last error").textContent()).not.toBe("none");
    expect(await kpi(page, "Delivered").textContent()).toBe("0");
    expect(await page.getByRole("button", { name: "Pause", exact: true }).count()).toBe(1);
    expect(await page.getByRole("button", { name: /Rotate/ }).count()).toBe(0);

    await page.goto(`${server.url}/streams/${nats?.id}`);
    await page.getByRole("heading", { name: "nats copy", level: 1 }).waitFor();
    await page.getByLabel("New NATS token").fill("t0ken-new");
    await page.getByRole("button", { name: "Rotate secret" }).click();
    await page.getByText("The NATS token of nats copy was replaced").waitFor();
    expect(await page.getByTestId("secret-value").count()).toBe(0);
    const html = await page.content();
    expect(html).not.toContain("t0ken-new");
    expect(html).not.toContain("t0ken-first");
    await page.getByText("set (never shown again)").waitFor();
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
