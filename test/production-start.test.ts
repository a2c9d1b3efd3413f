// Production runs compiled JavaScript: the command `npm start` ends with (the
// installed `trailproof` bin serving a fresh data directory) loads no tsx and
// no TypeScript, in its main thread or its seal workers. A module probe
// (fixtures/module-probe.mjs) records every module each thread resolves.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { sampleEvents } from "@trailproof/server";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const PROBE = join(import.meta.dirname, "fixtures/module-probe.mjs");
const BIN = join(ROOT, "apps/cli/bin/trailproof.js");

interface ProbeLog {
  /** Thread id -> module URLs (ESM) and paths (CommonJS) it loaded. */
  threads: Map<string, string[]>;
  execArgv: string[];
}

/** Runs node with the probe; the environment is the caller's without NODE_OPTIONS, as under `npm start`. */
function probed(args: string[]): { proc: ChildProcess; log: string; exited: Promise<number | null> } {
  const dir = mkdtempSync(join(tmpdir(), "trailproof-production-"));
  const log = join(dir, "modules.log");
  const { NODE_OPTIONS: _, ...env } = process.env;
  const proc = spawn(process.execPath, ["--import", PROBE, ...args], {
    cwd: ROOT,
    env: { ...env, TRAILPROOF_MODULE_LOG: log, TRAILPROOF_DATA: join(dir, "data") },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  return { proc, log, exited };
}

function readProbeLog(path: string): ProbeLog {
  const threads = new Map<string, string[]>();
  let execArgv: string[] = [];
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const [thread, kind, ...rest] = line.split(" ");
    if (!thread || !kind) continue;
    const value = rest.join(" ");
    if (kind === "execArgv") {
      if (thread === "0") execArgv = JSON.parse(value) as string[];
      continue;
    }
    threads.set(thread, [...(threads.get(thread) ?? []), value]);
  }
  return { threads, execArgv };
}

/** Modules that mean TypeScript ran: a .ts/.mts/.cts/.tsx file, or tsx itself. */
function typescriptAtRunTime(log: ProbeLog): string[] {
  const offenders = [...log.threads].flatMap(([thread, modules]) =>
    modules
      .filter((m) => /\.[cm]?tsx?(\?|$)/.test(m) || /[\\/]node_modules[\\/]tsx[\\/]/.test(m))
      .map((m) => `${thread} ${m}`),
  );
  return [...new Set(offenders)];
}

async function listening(proc: ChildProcess): Promise<{ url: string; adminKey: string }> {
  let url = "";
  for await (const line of createInterface({ input: proc.stdout as NodeJS.ReadableStream })) {
    url ||= /^Trailproof listening on (\S+)/.exec(line)?.[1] ?? "";
    const adminKey = /^demo tenant admin key \(shown once\): (\S+)/.exec(line)?.[1];
    if (url && adminKey) return { url, adminKey };
  }
  throw new Error("the server exited before it printed its URL and the demo admin key");
}

describe("production start", () => {
  it("is the command `npm start` runs after building", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe("npm run build && trailproof serve");
    const cli = JSON.parse(readFileSync(join(ROOT, "apps/cli/package.json"), "utf8")) as {
      bin: Record<string, string>;
    };
    expect(cli.bin.trailproof).toBe("bin/trailproof.js");
  });

  it("serves and seals on worker threads with no tsx and no TypeScript loaded", async () => {
    const { proc, log, exited } = probed([BIN, "serve", "--port", "0"]);
    try {
      const { url, adminKey } = await listening(proc);
      const keyRes = await fetch(`${url}/v1/keys`, {
        method: "POST",
        headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
        body: JSON.stringify({ role: "ingest", name: "production start" }),
      });
      const ingestKey = ((await keyRes.json()) as { key: string }).key;
      // A batch large enough for the seal workers, on top of the demo data sealed at first start.
      const res = await fetch(`${url}/v1/events`, {
        method: "POST",
        headers: { authorization: `Bearer ${ingestKey}`, "content-type": "application/json" },
        body: JSON.stringify({ events: sampleEvents(200, { idPrefix: "evt_production_start" }) }),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { results: { status: string }[] };
      expect(body.results.filter((r) => r.status === "created")).toHaveLength(200);
    } finally {
      proc.kill("SIGTERM");
    }
    expect(await exited).toBe(0);

    const probe = readProbeLog(log);
    expect(probe.execArgv).toEqual(["--import", PROBE]);
    expect(typescriptAtRunTime(probe)).toEqual([]);
    const main = probe.threads.get("0") ?? [];
    expect(main).toContain(new URL("../apps/cli/dist/main.js", import.meta.url).href);
    const workers = [...probe.threads].filter(
      ([thread, modules]) =>
        thread !== "0" && modules.some((m) => m.endsWith("/packages/ledger/dist/seal/seal-worker.js")),
    );
    expect(workers.length).toBeGreaterThan(0);
  }, 90_000);

  it("would see tsx and TypeScript if they were loaded (the probe's control)", async () => {
    const { log, exited } = probed([
      "--conditions=@trailproof/source",
      "--import",
      "tsx",
      "apps/cli/src/main.ts",
      "--help",
    ]);
    expect(await exited).toBe(0);
    const offenders = typescriptAtRunTime(readProbeLog(log));
    expect(offenders.some((m) => m.includes("/node_modules/tsx/"))).toBe(true);
    expect(offenders.some((m) => m.endsWith("/apps/cli/src/main.ts"))).toBe(true);
  }, 60_000);
});
