// The event page's "Download proof" in real Chromium against the real server,
// signed in as an auditor: the downloaded .tlog-proof is the C2SP tlog-proof
// the API serves, the built CLI verifies it offline against the log's key,
// and the same file with one proof hash changed fails.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { trailproof } from "../run-cli.js";
import {
  api,
  createPerson,
  describeBrowser,
  launchBrowser,
  openPage,
  signIn,
  startTestServer,
  type TestServer,
} from "./harness.js";
import { CHAIN, ingestChain } from "./scenario.js";

describeBrowser("console event proof download (auditor)", () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startTestServer();
    await ingestChain(server);
    browser = await launchBrowser();
    page = (await openPage(browser, undefined, { acceptDownloads: true })).page;
    await signIn(page, server, await createPerson(server, "grace", "auditor"));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("downloads the event's tlog-proof, which the CLI verifies offline", async () => {
    await page.goto(`${server.url}/events/${CHAIN.update}`);
    const proof = page.getByTestId("proof-status");
    await expect.poll(() => proof.textContent()).toMatch(/signature valid/);
    const downloading = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download proof" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`${CHAIN.update}.tlog-proof`);
    const dir = mkdtempSync(join(tmpdir(), "tp-console-proof-"));
    const file = join(dir, download.suggestedFilename());
    await download.saveAs(file);
    const text = readFileSync(file, "utf8");
    expect(text.startsWith("c2sp.org/tlog-proof@v1\nextra ")).toBe(true);
    await expect.poll(() => page.getByText("Proof downloaded.").count()).toBe(1);

    const { verifier_key: key } = await api<{ verifier_key: string }>(server, "GET", "/v1/log/key");
    const ok = await trailproof(["verify", "--proof", file, "--key", key]);
    expect(ok.stdout).toMatch(new RegExp(`^OK proof .*event "${CHAIN.update}"`));
    expect(ok.code).toBe(0);

    const lines = text.split("\n");
    const hash = lines[3] as string;
    lines[3] = `${hash[0] === "A" ? "B" : "A"}${hash.slice(1)}`;
    const tampered = join(dir, "tampered.tlog-proof");
    writeFileSync(tampered, lines.join("\n"));
    const bad = await trailproof(["verify", "--proof", tampered, "--key", key]);
    expect(bad.stdout).toMatch(/^FAILED proof .*: PROOF_ROOT_MISMATCH/);
    expect(bad.code).toBe(1);
  }, 60_000);
});
