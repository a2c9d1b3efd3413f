// The host process is SIGKILLed with events in its FileSpool: a new process
// on the same spool directory sends them, and each is in the log exactly once.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ClientStats } from "@trailproof/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countEvents, type SdkServer, searchIds, startSdkServer } from "./sdk-server.js";

const child = join(import.meta.dirname, "spool-child.ts");
let s: SdkServer;
beforeAll(async () => {
  s = await startSdkServer("sigkill");
}, 30_000);
afterAll(async () => {
  await s?.stop();
});

interface Run {
  proc: ChildProcess;
  /** Resolves with stdout once `marker` is printed. */
  printed(marker: string): Promise<string>;
  exited: Promise<number | null>;
}

function host(...args: string[]): Run {
  const proc = spawn(process.execPath, ["--import", "tsx", child, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  const waiters: Array<() => void> = [];
  proc.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of waiters.splice(0)) w();
  });
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  const printed = (marker: string) =>
    new Promise<string>((resolve, reject) => {
      const check = () => (out.includes(marker) ? resolve(out) : waiters.push(check));
      exited.then(() => (out.includes(marker) ? resolve(out) : reject(new Error(`exited without ${marker}: ${out}`))));
      check();
    });
  return { proc, printed, exited };
}

async function kill(run: Run): Promise<void> {
  run.proc.kill("SIGKILL");
  // Wait for the exit: a dead but unreaped owner would still hold the spool lock.
  await run.exited;
}

function statsOf(out: string): ClientStats {
  return JSON.parse(out.trim().split("\n").at(-1) as string) as ClientStats;
}

describe("a SIGKILLed host process", () => {
  it("loses nothing it spooled while the service was down", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trailproof-kill-"));
    await s.stop();
    try {
      const first = host(s.url, s.ingestKey, dir, "300", "down");
      await first.printed("SPOOLED");
      await kill(first);
    } finally {
      await s.restart();
    }
    const second = host(s.url, s.ingestKey, dir, "0", "down");
    expect(await second.exited).toBe(0);
    const stats = statsOf(await second.printed("}"));
    expect(stats).toMatchObject({
      recovered: 300,
      acknowledged: 300,
      duplicates: 0,
      rejected: 0,
      pending: 0,
      spooled: 0,
    });
    const ids = await searchIds(s, "tag=test:down");
    expect(ids).toHaveLength(300);
    expect(new Set(ids).size).toBe(300);
  }, 60_000);

  it("re-sends after a kill mid-delivery, and what had arrived comes back as duplicates, not twice", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trailproof-kill-"));
    const first = host(s.url, s.ingestKey, dir, "2000", "mid");
    await first.printed("SPOOLED");
    // Let some batches reach the log, then kill before the rest is acknowledged.
    for (let i = 0; i < 200 && (await countEvents(s, "tag=test:mid")) === 0; i++)
      await new Promise((r) => setTimeout(r, 5));
    await kill(first);
    // Counted once the appends the killed client left in flight are committed and search covers
    // them: on a loaded machine both can trail the kill.
    while (s.server.data.ledger.pendingEvents > 0) await new Promise((r) => setTimeout(r, 10));
    await s.server.data.settled();
    const arrived = await countEvents(s, "tag=test:mid");
    expect(arrived).toBeGreaterThan(0);

    const second = host(s.url, s.ingestKey, dir, "0", "mid");
    expect(await second.exited).toBe(0);
    const stats = statsOf(await second.printed("}"));
    expect(stats.rejected).toBe(0);
    expect(stats.pending).toBe(0);
    expect(stats.recovered).toBe(stats.acknowledged);
    expect(stats.acknowledged - stats.duplicates).toBe(2000 - arrived);
    expect(await countEvents(s, "tag=test:mid")).toBe(2000);
    const ids = await searchIds(s, "tag=test:mid");
    expect(new Set(ids).size).toBe(2000);
  }, 60_000);
});
