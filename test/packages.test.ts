// The published packages as a user gets them: `npm pack` tarballs installed
// into empty directories (third-party dependencies from npm, the cache first),
// then the SDK records an event to a real server and checks its receipt, the
// declarations type-check a consumer, and the installed `trailproof` runs.
//
// The CLI's install needs better-sqlite3's native binary. Users get it as a
// prebuilt download; here none is reachable, so the driver would compile from
// source (2 to 10 minutes on a busy 2-core machine). Instead the test hands
// prebuild-install, through its documented local-prebuilds setting, the binary
// `npm ci` compiled for this very Node and version, packed as a prebuild, and
// pins that version. prebuild-install loads it before accepting it; should it
// not fit, the install compiles from source as before, only slower.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { DEFAULT_CONFIG, type RunningServer, startServer } from "@trailproof/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain-JavaScript build script, without declarations.
import { packPackages } from "../scripts/pack.mjs";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..");
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
/** Ample for a compile from source, should the prebuild not fit. */
const INSTALL_MS = 600_000;
const DRIVER = join(ROOT, "node_modules/better-sqlite3");
const DRIVER_VERSION = (createRequire(import.meta.url)(join(DRIVER, "package.json")) as { version: string }).version;
const SDK_PACKAGES = ["@trailproof/core", "@trailproof/protocol", "@trailproof/client"];
const CLI_PACKAGES = [...SDK_PACKAGES, "@trailproof/ledger", "@trailproof/server", "@trailproof/cli"];

let work: string;
let tarballs: Record<string, string>;
let server: RunningServer;
/** Both installs start together once packed; each suite awaits its own. */
let sdkInstall: Promise<string>;
let cliInstall: Promise<string>;

/** This process's environment without what vitest adds to NODE_OPTIONS, nor TRAILPROOF_* settings. */
function userEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k]) => k !== "NODE_OPTIONS" && !k.startsWith("TRAILPROOF_")),
  );
}

/**
 * Packs this checkout's compiled better-sqlite3 as the prebuild prebuild-install
 * would download for this Node (its file name carries version and ABI); returns its directory.
 */
async function localPrebuilds(): Promise<string> {
  const dir = join(work, "prebuilds");
  mkdirSync(dir);
  const name = `better-sqlite3-v${DRIVER_VERSION}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  await run("tar", ["-czf", join(dir, name), "-C", DRIVER, "build/Release/better_sqlite3.node"]);
  return dir;
}

/** An empty project in a fresh directory with `tarballs` installed, as `npm install <tarball>...` does. */
async function installInto(name: string, packages: readonly string[], prebuilds: string): Promise<string> {
  const dir = join(work, name);
  mkdirSync(dir);
  const project = { name, private: true, type: "module", overrides: { "better-sqlite3": DRIVER_VERSION } };
  writeFileSync(join(dir, "package.json"), JSON.stringify(project));
  await run(
    "npm",
    ["install", "--prefer-offline", "--no-audit", "--no-fund", ...packages.map((p) => tarballs[p] as string)],
    {
      cwd: dir,
      // npm 11 warns it does not know the prebuild setting, and passes it to the install script all
      // the same. JOBS: a compile from source, if it comes to that, builds both sources at once.
      env: { ...userEnv(), npm_config_better_sqlite3_local_prebuilds: prebuilds, JOBS: "max" },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return dir;
}

/** Runs node in `cwd` without this process's `@trailproof/source` condition, as a user's node runs. */
async function node(cwd: string, args: readonly string[], env: Record<string, string> = {}) {
  return run(process.execPath, args, { cwd, env: { ...userEnv(), ...env } });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "trailproof-packages-"));
  tarballs = await packPackages(join(work, "tarballs"));
  const prebuilds = await localPrebuilds();
  sdkInstall = installInto("sdk-app", SDK_PACKAGES, prebuilds);
  cliInstall = installInto("cli-app", CLI_PACKAGES, prebuilds);
  // Awaited by their suites; this keeps a failure from surfacing as unhandled first.
  for (const install of [sdkInstall, cliInstall]) install.catch(() => undefined);
  const dataDir = join(work, "server-data");
  server = await startServer({ ...DEFAULT_CONFIG, dataDir, port: 0, logLevel: "silent" }, () => undefined);
}, INSTALL_MS);
afterAll(async () => {
  await server?.close();
  // Two installs: about 100 MB not worth leaving in /tmp.
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the SDK installed from its tarballs", () => {
  let app: string;
  beforeAll(async () => {
    app = await sdkInstall;
  }, INSTALL_MS);

  it("ships compiled JavaScript and declarations, no sources or tests, and no server dependencies", () => {
    const pkg = join(app, "node_modules/@trailproof/client");
    const files = readdirSync(pkg, { recursive: true }).map(String);
    expect(files).toContain(join("dist", "index.js"));
    expect(files).toContain(join("dist", "index.d.ts"));
    expect(files).toContain(join("dist", "node.d.ts"));
    expect(files.filter((f) => f.startsWith("src") || /\.test\./.test(f))).toEqual([]);
    expect(existsSync(join(app, "node_modules/better-sqlite3"))).toBe(false);
    expect(existsSync(join(app, "node_modules/fastify"))).toBe(false);
  });

  it("records an event to a real service, as an automation, and verifies the receipt against the signed log", async () => {
    const admin = server.created.demoAdminKey as string;
    const headers = { authorization: `Bearer ${admin}`, "content-type": "application/json" };
    const created = await fetch(`${server.url}/v1/keys`, {
      method: "POST",
      headers,
      body: JSON.stringify({ role: "ingest", name: "installed sdk" }),
    });
    const { key } = (await created.json()) as { key: string };
    const logKey = (await (await fetch(`${server.url}/v1/log/key`, { headers })).json()) as { verifier_key: string };
    writeFileSync(
      join(app, "record.mjs"),
      `import { events, TrailproofClient, verifyReceipt } from "@trailproof/client";
import { withAutomation } from "@trailproof/client/node";
const { TRAILPROOF_URL: url, INGEST_KEY, ADMIN_KEY, VERIFIER_KEY } = process.env;
const audit = new TrailproofClient({ url, apiKey: INGEST_KEY });
const bot = { id: "svc_nightly" };
const receipt = await withAutomation({ origin: "workflow", workflowId: "wf_nightly", serviceAccount: bot }, () =>
  audit.record(events.pageUpdated({ target: { type: "page", id: "page_checkout" } })),
);
await audit.close();
const verified = await verifyReceipt(receipt, { url, apiKey: ADMIN_KEY, verifierKey: VERIFIER_KEY });
console.log(JSON.stringify({ receipt, treeSize: String(verified.treeSize) }));
`,
    );
    const { stdout } = await node(app, ["record.mjs"], {
      TRAILPROOF_URL: server.url,
      INGEST_KEY: key,
      ADMIN_KEY: admin,
      VERIFIER_KEY: logKey.verifier_key,
    });
    const { receipt, treeSize } = JSON.parse(stdout) as { receipt: { id: string; index: number }; treeSize: string };
    expect(BigInt(treeSize)).toBeGreaterThan(BigInt(receipt.index));
    const stored = await fetch(`${server.url}/v1/events/${receipt.id}`, { headers });
    expect(((await stored.json()) as { event: { actor: unknown } }).event.actor).toMatchObject({ id: "svc_nightly" });
  });

  it("type-checks a consumer against the shipped declarations, which type what they must", async () => {
    // Each @ts-expect-error fails the check when its line is not an error, so a
    // declaration that degraded to \`any\` (a type from core that did not
    // resolve, say) fails this test too.
    const consumer = `import { events, TrailproofClient, type Target, type TrailproofClientOptions } from "@trailproof/client";
import { FileSpool } from "@trailproof/client/node";
const spool = new FileSpool({ dir: "spool" });
const options: TrailproofClientOptions = { url: "http://127.0.0.1:8080", apiKey: "k", spool };
const audit = new TrailproofClient(options);
const receipt = await audit.record(events.pageUpdated({ target: { type: "page", id: "p" } }));
export const index: number = receipt.index;
// @ts-expect-error: an action is a string
await audit.record({ action: 42 });
// @ts-expect-error: core's EventInput requires the target's id
export const target: Target = { type: "page" };
// @ts-expect-error: the spool directory is a path
new FileSpool({ dir: 42 });
`;
    const tsconfig = {
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        noEmit: true,
        // As most projects set it: typebox's declarations alone take minutes to check.
        skipLibCheck: true,
        types: ["node"],
        typeRoots: [join(ROOT, "node_modules/@types")],
      },
      files: ["consumer.ts"],
    };
    writeFileSync(join(app, "tsconfig.json"), JSON.stringify(tsconfig));
    writeFileSync(join(app, "consumer.ts"), consumer);
    const checked = await node(app, [TSC, "-p", "tsconfig.json"]).catch((err: { stdout: string }) => err);
    expect(checked.stdout).toBe("");
  }, 120_000);
});

describe("the CLI installed from its tarballs", () => {
  let app: string;
  beforeAll(async () => {
    app = await cliInstall;
  }, INSTALL_MS);

  it("runs `trailproof --help` and `--version` from node_modules/.bin", async () => {
    const bin = join(app, "node_modules/.bin/trailproof");
    const help = await run(bin, ["--help"], { cwd: app, env: userEnv() });
    expect(help.stdout).toMatch(/^Usage: trailproof/);
    expect(help.stdout).toContain("serve");
    const version = await run(bin, ["--version"], { cwd: app, env: userEnv() });
    expect(version.stdout.trim()).toBe("0.1.0");
  });

  it("opens a SQLite data directory through the better-sqlite3 it installed", async () => {
    const bin = join(app, "node_modules/.bin/trailproof");
    const { stdout } = await run(bin, ["init", "--data", join(app, "data"), "--json"], { cwd: app, env: userEnv() });
    expect(JSON.parse(stdout)).toMatchObject({ operator_key: expect.any(String) });
    expect(existsSync(join(app, "node_modules/better-sqlite3/build/Release/better_sqlite3.node"))).toBe(true);
  });
});
