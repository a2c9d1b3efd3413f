// `trailproof mirror` and `trailproof verify --tiles` as real processes on a
// real SQLite data directory (docs/mirror.md): a mirrored log verifies from
// the directory and over HTTP; after new entries, a second mirror (one-shot
// and --follow) verifies and is consistent with the first checkpoint; a
// tampered tile, entry bundle or checkpoint fails; a full tile is never
// rewritten; pruned entries are carried as stand-ins and still verify.
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DataDir, openDataDir } from "@trailproof/ledger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleEvents } from "../../apps/server/src/demo/sample-events.js";
import { ROOT, TRAILPROOF_BIN, trailproof } from "../run-cli.js";
import { serveDirectory } from "./static-server.js";

let dataDir: string;
let work: string;
let data: DataDir;
let key: string;

async function append(count: number, seed: number): Promise<void> {
  const results = await data.ledger.append("acme", sampleEvents(count, { seed, idPrefix: `s${seed}-` }));
  expect(results.every((r) => r.status === "created")).toBe(true);
  await data.ledger.publishCheckpoints();
}

function treeSizeOf(dir: string): number {
  return Number(readFileSync(join(dir, "checkpoint"), "utf8").split("\n")[1]);
}

function flipByte(file: string, at: number): void {
  const bytes = readFileSync(file);
  bytes[at] = (bytes[at] as number) ^ 0x01;
  writeFileSync(file, bytes);
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "trailproof-mirror-data-"));
  work = mkdtempSync(join(tmpdir(), "trailproof-mirror-"));
  data = await openDataDir({ dataDir, checkpointIntervalMs: 0 });
  await data.ledger.createTenant("acme");
  await data.ledger.createTenant("globex");
  await append(300, 1);
  key = (await data.ledger.verifierKeys("acme"))[0]?.verifier_key as string;
}, 60_000);

afterAll(async () => {
  await data?.ledger.close();
});

describe("trailproof mirror, then verify --tiles", () => {
  const out = () => join(work, "acme");
  const first = () => join(work, "first-checkpoint");

  it("writes the checkpoint, tiles and entry bundles, and they verify from the directory", async () => {
    const mirrored = await trailproof(["mirror", "--data", dataDir, "--tenant", "acme", "--out", out()]);
    expect(mirrored.stderr).toBe("");
    expect(mirrored.code).toBe(0);
    // 300 entries: a full level-0 tile and bundle, a partial one of 44, a partial level-1 tile of 1.
    expect(JSON.parse(mirrored.stdout)).toMatchObject({ tree_size: 300, published: true, written: 5, pruned: 0 });
    for (const f of ["tile/0/000", "tile/0/001.p/44", "tile/1/000.p/1", "tile/entries/000", "tile/entries/001.p/44"]) {
      expect(readFileSync(join(out(), f)).length).toBeGreaterThan(0);
    }
    expect(readFileSync(join(out(), "tile/0/000")).length).toBe(8192);
    cpSync(join(out(), "checkpoint"), first());

    const verified = await trailproof(["verify", "--tiles", out(), "--key", key]);
    expect(verified.stdout).toMatch(/^OK .*trailproof\.localhost\/log\/acme, 300 entries rehashed/);
    expect(verified.code).toBe(0);

    const again = await trailproof(["mirror", "--data", dataDir, "--tenant", "acme", "--out", out()]);
    expect(JSON.parse(again.stdout)).toMatchObject({ tree_size: 300, published: false, written: 0 });
  }, 60_000);

  it("grows with the log and stays consistent with the first checkpoint", async () => {
    await append(300, 2);
    const mirrored = await trailproof(["mirror", "--data", dataDir, "--tenant", "acme", "--out", out()]);
    expect(mirrored.code).toBe(0);
    expect(JSON.parse(mirrored.stdout)).toMatchObject({ tree_size: 600, published: true });
    const verified = await trailproof(["verify", "--tiles", out(), "--key", key, "--checkpoint", first()]);
    expect(verified.stdout).toContain("600 entries rehashed");
    expect(verified.stdout).toContain("consistent with the earlier checkpoints of size 300");
    expect(verified.code).toBe(0);
  }, 60_000);

  it("verifies over HTTP from a static file server", async () => {
    const server = await serveDirectory(out());
    try {
      const verified = await trailproof(["verify", "--tiles", server.url, "--key", key, "--checkpoint", first()]);
      expect(verified.stdout).toContain("600 entries rehashed");
      expect(verified.code).toBe(0);
      expect(server.requests).toContain("/tile/entries/002.p/88");
      const wrongKey = (await data.ledger.verifierKeys("globex"))[0]?.verifier_key as string;
      const refused = await trailproof(["verify", "--tiles", server.url, "--key", wrongKey]);
      expect(refused.stdout).toMatch(/^FAILED .*: CHECKPOINT_ORIGIN_MISMATCH|^FAILED .*: NOTE_UNSIGNED/);
      expect(refused.code).toBe(1);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("fails on a tampered entry bundle, hash tile or checkpoint", async () => {
    const cases: [string, number, string][] = [
      ["tile/entries/000", 40, "TILE_INVALID"],
      ["tile/0/001", 0, "TILE_INVALID"],
      ["tile/1/000.p/2", 33, "TILE_INVALID"],
      ["checkpoint", 40, "NOTE_"],
    ];
    for (const [file, at, code] of cases) {
      const copy = mkdtempSync(join(work, "tampered-"));
      cpSync(out(), copy, { recursive: true });
      flipByte(join(copy, file), at);
      const r = await trailproof(["verify", "--tiles", copy, "--key", key]);
      expect(r.stdout, file).toMatch(new RegExp(`^FAILED .*: ${code}`));
      expect(r.code, file).toBe(1);
    }
  }, 60_000);

  it("never rewrites a full tile: a mirror whose tile differs from the log is refused", async () => {
    const copy = mkdtempSync(join(work, "diverged-"));
    cpSync(out(), copy, { recursive: true });
    // Back to the first checkpoint, with a full bundle that is not the log's.
    cpSync(first(), join(copy, "checkpoint"));
    flipByte(join(copy, "tile/entries/001"), 100);
    const r = await trailproof(["mirror", "--data", dataDir, "--tenant", "acme", "--out", copy]);
    expect(r.stderr).toMatch(/^error MIRROR_INVALID: .*tile\/entries\/001 already holds other bytes.*never rewritten/);
    expect(r.code).toBe(2);
    expect(treeSizeOf(copy)).toBe(300);
  }, 60_000);

  it("refuses to mirror another tenant into the directory", async () => {
    const r = await trailproof(["mirror", "--data", dataDir, "--tenant", "globex", "--out", out()]);
    expect(r.stderr).toMatch(/^error MIRROR_INVALID: .* mirrors "trailproof\.localhost\/log\/acme", not .*globex/);
    expect(r.code).toBe(2);
  }, 60_000);
});

describe("trailproof mirror --follow", () => {
  let child: ChildProcess | undefined;

  afterAll(() => {
    child?.kill("SIGKILL");
  });

  it("keeps the copy current as checkpoints are signed, and stops on SIGTERM", async () => {
    const out = join(work, "followed");
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("TRAILPROOF_")));
    child = spawn(
      process.execPath,
      [
        TRAILPROOF_BIN,
        "mirror",
        "--data",
        dataDir,
        "--tenant",
        "acme",
        "--out",
        out,
        "--follow",
        "--interval-ms",
        "200",
      ],
      { cwd: ROOT, env: clean },
    );
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (b: Buffer) => {
      stdout += b.toString();
    });
    child.stderr?.on("data", (b: Buffer) => {
      stderr += b.toString();
    });
    const size = await data.ledger.treeSize("acme");
    await waitFor(
      () => stdout.includes(`"tree_size":${size}`),
      20_000,
      () => stderr,
    );
    const firstNote = readFileSync(join(out, "checkpoint"), "utf8");
    await append(50, 3);
    await waitFor(
      () => stdout.includes(`"tree_size":${size + 50}`),
      20_000,
      () => stderr,
    );
    const exited = new Promise<number | null>((resolve) => child?.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stderr).toBe("");

    const earlier = join(work, "follow-first-checkpoint");
    writeFileSync(earlier, firstNote);
    const verified = await trailproof(["verify", "--tiles", out, "--key", key, "--checkpoint", earlier]);
    expect(verified.stdout).toContain(`${size + 50} entries rehashed`);
    expect(verified.stdout).toContain(`consistent with the earlier checkpoints of size ${size}`);
    expect(verified.code).toBe(0);
  }, 60_000);
});

async function waitFor(done: () => boolean, timeoutMs: number, why: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out; stderr: ${why()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
