// Shared set-up of the browser suites: the real server in-process on a fresh
// data directory (demo tenant and data), Debian's Chromium through
// playwright-core, people created over the API, screenshots, and a check
// that the page broke no Content-Security-Policy rule.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CONFIG, type RunningServer, type ServerConfig, startServer } from "@trailproof/server";
import { generate } from "otplib";
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Locator,
  type Page,
} from "playwright-core";
import { describe, expect, it } from "vitest";
import { ensureConsoleBuilt, ROOT } from "./console-build.js";

export const CHROMIUM_PATH = "/usr/bin/chromium";
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
export const SCREENSHOT_DIR = join(ROOT, "test-results/screenshots");
export const WIDTHS = [1280, 800] as const;

/**
 * describe() for a browser suite. Without Chromium the suite fails under CI
 * (a missing browser must not pass as green) and is skipped, saying why,
 * on a developer's machine.
 */
export function describeBrowser(name: string, body: () => void): void {
  if (existsSync(CHROMIUM_PATH)) {
    describe(name, body);
    return;
  }
  const reason = `${CHROMIUM_PATH} is not installed (apt-get install -y chromium)`;
  if (process.env.CI) {
    describe(name, () => {
      it(`needs ${CHROMIUM_PATH}`, () => {
        throw new Error(`browser suite cannot run: ${reason}`);
      });
    });
  } else {
    console.warn(`skipping browser suite "${name}": ${reason}`);
    describe.skip(`${name} (skipped: ${reason})`, body);
  }
}

export interface TestServer {
  url: string;
  adminKey: string;
  /** The server's data directory (trailproof.db is its catalogue: people, keys, viewer tokens). */
  dataDir: string;
  running: RunningServer;
  close(): Promise<void>;
}

export async function startTestServer(overrides: Partial<ServerConfig> = {}): Promise<TestServer> {
  ensureConsoleBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), "tp-browser-"));
  const running = await startServer(
    { ...DEFAULT_CONFIG, dataDir, port: 0, logLevel: "silent", ...overrides },
    () => {},
  );
  const adminKey = running.created.demoAdminKey;
  if (!adminKey) throw new Error("the demo tenant was not created");
  return {
    url: running.url,
    adminKey,
    dataDir,
    running,
    async close() {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A JSON API call with a bearer key; throws with the problem body unless 2xx. */
export async function api<T = unknown>(
  server: TestServer,
  method: string,
  path: string,
  body?: unknown,
  key = server.adminKey,
): Promise<T> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A text answer (a checkpoint note) with a bearer key; throws unless 2xx. */
export async function apiText(server: TestServer, path: string, key = server.adminKey): Promise<string> {
  const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status} ${text}`);
  return text;
}

/** The tree size of a signed checkpoint note (its second line, C2SP tlog-checkpoint). */
export function checkpointSize(note: string): number {
  return Number(note.split("\n")[1]);
}

export interface Person {
  tenant: string;
  username: string;
  password: string;
  role: "viewer" | "auditor" | "admin";
  /** Set after enrolment. */
  secret?: string;
}

export async function createPerson(server: TestServer, username: string, role: Person["role"]): Promise<Person> {
  const password = `pw-${username}-correct-horse-battery`;
  await api(server, "POST", "/v1/people", { username, display_name: `Test ${username}`, role, password });
  return { tenant: "demo", username, password, role };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS, headless: true });
}

export interface TestPage {
  page: Page;
  context: BrowserContext;
  /** Console messages about Content-Security-Policy violations and page errors. */
  problems: string[];
}

/**
 * A new tab in its own context. `options` reach the context: a `locale` and
 * `timezoneId` to read the console as someone elsewhere, a `storageState` to
 * carry a signed-in session over without a second TOTP code.
 */
export async function openPage(
  browser: Browser,
  width: number = WIDTHS[0],
  options: Omit<BrowserContextOptions, "viewport" | "deviceScaleFactor"> = {},
): Promise<TestPage> {
  const context = await browser.newContext({ ...options, viewport: { width, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (msg) => {
    const text = msg.text();
    if (/Content Security Policy|Refused to/i.test(text)) problems.push(`csp: ${text}`);
  });
  page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
  return { page, context, problems };
}

/** Every refused /v1 request the page makes from now on, as "STATUS METHOD path (on page path)". */
export function recordRefusals(page: Page): string[] {
  const refused: string[] = [];
  page.on("response", (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith("/v1/") && r.status() >= 400)
      refused.push(`${r.status()} ${r.request().method()} ${url.pathname} (on ${new URL(page.url()).pathname})`);
  });
  return refused;
}

/** The main navigation each role is offered, in order (what visitEveryPage returns). */
const VIEWER_NAV = ["Events", "Automations", "Dashboards", "Governance"];
const AUDITOR_NAV = [...VIEWER_NAV, "Alerts", "Rules", "Integrity", "Reports", "Channels", "Deliveries", "Streams"];
export const NAV: Record<"viewer" | "auditor" | "admin", readonly string[]> = {
  viewer: VIEWER_NAV,
  auditor: AUDITOR_NAV,
  admin: [...AUDITOR_NAV, "Admin"],
};

/** The admin page's tabs (pages/AdminPage.tsx), each a page load of its own. */
const ADMIN_TABS = ["people", "keys", "viewer-tokens", "schemas", "approvals", "privacy", "settings"];

/**
 * Opens every page the signed-in person's navigation offers (every admin tab
 * too), each by a full page load and then a reload, and waits until the page
 * has stopped asking the server. Returns the navigation's labels.
 */
export async function visitEveryPage(page: Page, server: TestServer): Promise<string[]> {
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.waitFor();
  const links = nav.getByRole("link");
  const labels = await links.allTextContents();
  const paths: string[] = [];
  for (let i = 0; i < labels.length; i++) {
    const href = (await links.nth(i).getAttribute("href")) ?? "";
    if (href === "/admin") paths.push(...ADMIN_TABS.map((tab) => `/admin?tab=${tab}`));
    else paths.push(href);
  }
  for (const path of paths) {
    for (const load of ["goto", "reload"] as const) {
      if (load === "goto") await page.goto(`${server.url}${path}`);
      else await page.reload();
      await page.waitForLoadState("networkidle");
      if (!(await nav.isVisible())) {
        throw new Error(`${path} (${load}): no navigation; the page says ${await page.locator("body").textContent()}`);
      }
      expect(await page.getByRole("heading", { name: "Not permitted" }).count(), path).toBe(0);
    }
  }
  return labels;
}

/** The text as drawn, CSS text-transform applied (innerText), where textContent is the DOM's. */
export function drawnText(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: the drawn text, capitals and all, is what is checked
  return locator.innerText();
}

/** Whole-page screenshots at each width, for people to look at. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const original = page.viewportSize();
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    // Charts re-measure on resize (ResizeObserver) before they redraw.
    await page.waitForTimeout(250);
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${width}.png`), fullPage: true });
  }
  if (original) await page.setViewportSize(original);
}

/** The current TOTP code, waiting for the next 30 s window when `fresh` (a used code is refused). */
export async function totpCode(secret: string, fresh = false): Promise<string> {
  if (fresh) {
    const intoWindow = Date.now() % 30_000;
    await new Promise((resolve) => setTimeout(resolve, 30_000 - intoWindow + 500));
  }
  return generate({ secret });
}

/**
 * Signs in through the sign-in page with password and TOTP. On first sign-in
 * it enrols: the secret comes from the /v1/auth/login answer (and must be the
 * one the page shows), and the recovery codes are acknowledged.
 */
export async function signIn(
  page: Page,
  server: TestServer,
  person: Person,
  options: { fresh?: boolean; onStep?: (step: "enroll" | "recovery-codes") => Promise<void> } = {},
) {
  // Stay on a sign-in page that carries ?next=; open one otherwise.
  if (!page.url().startsWith(`${server.url}/sign-in`)) await page.goto(`${server.url}/sign-in`);
  await page.getByLabel("Tenant").fill(person.tenant);
  await page.getByLabel("Username").fill(person.username);
  await page.getByLabel("Password").fill(person.password);
  const loginAnswer = page.waitForResponse((r) => r.url().endsWith("/v1/auth/login"));
  await page.getByRole("button", { name: "Continue" }).click();
  const login = (await (await loginAnswer).json()) as { next: string; secret?: string };
  if (login.next === "enroll") {
    if (!login.secret) throw new Error("enrolment without a secret");
    person.secret = login.secret;
    const shown = page.getByTestId("totp-secret");
    await shown.waitFor();
    expect(await shown.textContent()).toBe(login.secret.replace(/(.{4})/g, "$1 ").trim());
    await page.getByRole("img", { name: /QR code/ }).waitFor();
    await options.onStep?.("enroll");
    await page.getByLabel("Authentication code").fill(await totpCode(login.secret, options.fresh));
    await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
    await page.getByRole("list", { name: "Recovery codes" }).waitFor();
    expect(await page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem").count()).toBe(10);
    await options.onStep?.("recovery-codes");
    await page.getByLabel("I have stored these codes").check();
    await page.getByRole("button", { name: "Continue to the console" }).click();
  } else {
    if (!person.secret) throw new Error(`${person.username} has no TOTP secret`);
    await page.getByLabel("Authentication code").fill(await totpCode(person.secret, options.fresh));
    await page.getByRole("button", { name: "Verify and sign in" }).click();
  }
  await page.getByRole("navigation", { name: "Main" }).waitFor();
}
