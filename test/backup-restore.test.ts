// `trailproof backup` and `restore` as an operator runs them: real processes,
// a real service ingesting during the backup, real archives damaged the way
// disks and copies damage them (docs/runbooks/backup-restore.md); a pruned log
// restores and verifies, and one whose prune record was deleted is refused.
import type { ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDataDir } from "@trailproof/ledger";
import { sampleEvents } from "@trailproof/server";
import Database from "better-sqlite3";
import { create, extract } from "tar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, trailproof } from "./run-cli.js";
import { type Serving, startServe } from "./serve-process.js";

const running: ChildProcess[] = [];
afterAll(() => {
  for (const proc of running.splice(0)) if (proc.exitCode === null) proc.kill("SIGKILL");
});

/** `trailproof serve --data dir`, kept across the describe's tests, resolved once it printed its URL and first-start lines. */
function serve(dir: string): Promise<Serving> {
  // Checkpoints often, so one covers the events soon after they land.
  return startServe(["--data", dir], { TRAILPROOF_CHECKPOINT_INTERVAL_MS: "100" }, running);
}

async function call(url: string, key: string, body?: unknown): Promise<Response> {
  return fetch(url, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function post(url: string, key: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await call(url, key, body);
  const json = (await res.json()) as Record<string, unknown>;
  expect(res.status, JSON.stringify(json)).toBeLessThan(300);
  return json;
}

/** The size line of a signed checkpoint note (C2SP tlog-checkpoint: origin, size, root). */
function sizeOf(note: string): number {
  return Number(note.split("\n")[1]);
}

/** Waits until the service's latest signed checkpoint covers `size` entries; returns its note. */
async function checkpointAtLeast(url: string, key: string, size: number): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const note = await (await call(`${url}/v1/log/checkpoint`, key)).text();
    if (sizeOf(note) >= size) return note;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no checkpoint reached ${size}`);
}

/** One error line, exit 2, as every refusal of the CLI. */
function expectRefused(r: { code: number; stdout: string; stderr: string }, code: string): string {
  expect(r.code, r.stderr + r.stdout).toBe(2);
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^error ${code}: `));
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return lines[0] as string;
}

/** Nothing at `dir`, and no staging directory left beside it. */
function expectNothingLeft(dir: string): void {
  expect(existsSync(dir)).toBe(false);
  const parent = join(dir, "..");
  expect(readdirSync(parent).filter((n) => n.includes(".restore-"))).toEqual([]);
}

const work = mkdtempSync(join(tmpdir(), "trailproof-backup-"));
const data = join(work, "data");
const archive = join(work, "backup.tar");
let service: Serving;
let adminKey: string;
let ingestKey: string;
let ingested = 0;

describe("trailproof backup and restore", () => {
  beforeAll(async () => {
    service = await serve(data);
    const operatorKey = /^operator key \(shown once, keep it safe\): (tpk_\S+)$/
      .exec(service.lines.find((l) => l.startsWith("operator key")) ?? "")
      ?.at(1) as string;
    adminKey = (await post(`${service.url}/v1/tenants`, operatorKey, { name: "acme" })).admin_key as string;
    ingestKey = (await post(`${service.url}/v1/keys`, adminKey, { role: "ingest", name: "backup-test" })).key as string;
  }, 60_000);

  const ingest = async (batch: number) => {
    const events = sampleEvents(25, { seed: batch + 1, idPrefix: `evt_b${batch}` });
    const appended = await post(`${service.url}/v1/events`, ingestKey, { events });
    expect(JSON.stringify(appended)).not.toContain("rejected");
    ingested += events.length;
  };

  it("takes a backup while the service ingests, and the restored copy verifies and serves its events", async () => {
    await ingest(0);
    // Ingest goes on through the whole backup; appends that start and finish within it show it did.
    let stop = false;
    let during = 0;
    let backupRunning = false;
    let batch = 1;
    const loop = (async () => {
      while (!stop) {
        const startedDuring = backupRunning;
        await ingest(batch++);
        if (startedDuring && backupRunning) during++;
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    backupRunning = true;
    const backup = await trailproof(["backup", "--data", data, "--out", archive, "--json"]);
    backupRunning = false;
    stop = true;
    await loop;
    expect(backup.code, backup.stderr).toBe(0);
    expect(during, "appends completed while the backup ran").toBeGreaterThan(0);
    const made = JSON.parse(backup.stdout) as { tenants: { name: string; treeSize: number; checkpoint: string }[] };
    const acme = made.tenants.find((t) => t.name === "acme");
    expect(acme?.treeSize).toBeGreaterThanOrEqual(25);
    expect(sizeOf(acme?.checkpoint ?? "")).toBe(acme?.treeSize);
    // The archive holds the keys: readable by its owner only.
    expect((await import("node:fs")).statSync(archive).mode & 0o077).toBe(0);

    const restored = join(work, "restored");
    const r = await trailproof(["restore", "--from", archive, "--data", restored, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { tenants: { name: string; treeSize: number }[]; rolledBack: unknown[] };
    expect(result.rolledBack).toEqual([]);
    const copySize = result.tenants.find((t) => t.name === "acme")?.treeSize as number;
    expect(copySize).toBeGreaterThanOrEqual(acme?.treeSize as number);
    expect(copySize).toBeLessThan(ingested + 10);

    // The archive holds no master key (only ciphertext): the copy verifies without one, values unopened...
    expect(existsSync(join(restored, "master.key"))).toBe(false);
    const verified = await trailproof(["verify", "--data", restored]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(new RegExp(`^OK acme: ${copySize} entries`, "m"));

    // ...and a service refuses to start on it without one rather than make a key that opens nothing.
    await expect(serve(restored)).rejects.toThrow(/master\.key is missing/);
    cpSync(join(data, "master.key"), join(restored, "master.key"));
    const second = await serve(restored);
    try {
      const res = await call(`${second.url}/v1/events/evt_b0_0`, adminKey);
      expect(res.status, await res.clone().text()).toBe(200);
      expect(((await res.json()) as { event: { id: string } }).event.id).toBe("evt_b0_0");
      // At least: the restored service may append its own entries on start.
      expect(sizeOf(await checkpointAtLeast(second.url, adminKey, copySize))).toBeGreaterThanOrEqual(copySize);
    } finally {
      second.proc.kill("SIGINT");
      expect(await second.exited).toBe(0);
    }
  }, 120_000);

  it("refuses, as a rollback with the events lost, an older backup than a published checkpoint, unless forced", async () => {
    await ingest(1000);
    const later = await checkpointAtLeast(service.url, adminKey, ingested + 1);
    const published = join(work, "published-checkpoint");
    writeFileSync(published, later);

    const target = join(work, "rolled-back");
    const refused = await trailproof(["restore", "--from", archive, "--data", target, "--checkpoint", published]);
    const line = expectRefused(refused, "RESTORE_ROLLBACK");
    expectNothingLeft(target);
    const [, held, of, lost] =
      /acme holds (\d+) entries, but .* is a checkpoint of (\d+) it published: (\d+) events would be lost/.exec(line) ??
      [];
    expect(Number(of)).toBe(sizeOf(later));
    expect(Number(lost)).toBe(sizeOf(later) - Number(held));
    expect(Number(lost)).toBeGreaterThanOrEqual(25);

    // A checkpoint the copy's keys do not verify (here its signature damaged) is named, not counted.
    const forged = join(work, "forged-checkpoint");
    const lines = later.trimEnd().split("\n");
    const signature = lines.at(-1) as string;
    const at = signature.length - 6;
    lines[lines.length - 1] = signature.slice(0, at) + (signature[at] === "A" ? "B" : "A") + signature.slice(at + 1);
    writeFileSync(forged, `${lines.join("\n")}\n`);
    const unmatched = await trailproof(["restore", "--from", archive, "--data", target, "--checkpoint", forged]);
    expect(expectRefused(unmatched, "VERIFY_CHECKPOINT_UNMATCHED")).toContain(forged);
    expectNothingLeft(target);

    const forced = await trailproof([
      "restore",
      "--from",
      archive,
      "--data",
      target,
      "--checkpoint",
      published,
      "--force",
      "--json",
    ]);
    expect(forced.code, forced.stderr).toBe(0);
    const result = JSON.parse(forced.stdout) as { rolledBack: { tenant: string; lost: number; kind: string }[] };
    expect(result.rolledBack).toEqual([
      expect.objectContaining({ tenant: "acme", kind: "truncated", lost: Number(lost) }),
    ]);
    expect((await trailproof(["verify", "--data", target])).code).toBe(0);
  }, 120_000);

  it("refuses a backup with a byte flipped inside a tenant file, naming the file", async () => {
    const bytes = readFileSync(archive);
    // The tar header of tenants/acme.db starts with its name; its data follows the 512-byte header.
    const header = bytes.indexOf("tenants/acme.db\0");
    expect(header).toBeGreaterThanOrEqual(0);
    const damaged = Buffer.from(bytes);
    damaged[header + 512 + 3000] = (damaged[header + 512 + 3000] as number) ^ 0x01;
    const file = join(work, "flipped.tar");
    writeFileSync(file, damaged);
    const target = join(work, "from-flipped");
    const line = expectRefused(await trailproof(["restore", "--from", file, "--data", target]), "BACKUP_CORRUPT");
    expect(line).toMatch(/tenants\/acme\.db does not match its manifest: SHA-256 [0-9a-f]{64}, expected [0-9a-f]{64}$/);
    expectNothingLeft(target);
  }, 60_000);

  it("refuses a backup whose manifest was rewritten to match an edited log, naming tenant, kind and index", async () => {
    const unpacked = join(work, "unpacked");
    mkdirSync(unpacked);
    await extract({ file: archive, cwd: unpacked });
    const db = new Database(join(unpacked, "tenants", "acme.db"));
    // As an attacker with the file would: the append-only triggers go first.
    for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as {
      name: string;
    }[]) {
      db.exec(`DROP TRIGGER ${name}`);
    }
    const { leaf_data } = db.prepare("SELECT leaf_data FROM entries WHERE idx = 7").get() as { leaf_data: Buffer };
    const edited = Buffer.from(leaf_data.toString("utf8").replace('"occurred_at":"20', '"occurred_at":"19'));
    expect(edited.equals(leaf_data)).toBe(false);
    db.prepare("UPDATE entries SET leaf_data = ? WHERE idx = 7").run(edited);
    db.close();
    // Whoever edits the log can rewrite the manifest's hashes too: the log itself must not verify.
    const manifest = JSON.parse(readFileSync(join(unpacked, "manifest.json"), "utf8")) as {
      files: Record<string, string>;
    };
    const file = readFileSync(join(unpacked, "tenants", "acme.db"));
    manifest.files["tenants/acme.db"] = createHash("sha256").update(file).digest("hex");
    writeFileSync(join(unpacked, "manifest.json"), JSON.stringify(manifest));
    const rewritten = join(work, "rewritten.tar");
    await create({ file: rewritten, cwd: unpacked, portable: true }, readdirSync(unpacked));
    const target = join(work, "from-rewritten");
    const line = expectRefused(await trailproof(["restore", "--from", rewritten, "--data", target]), "BACKUP_CORRUPT");
    expect(line).toMatch(/: tenant acme: LEAF_MISMATCH at index 7: /);
    expectNothingLeft(target);
  }, 60_000);

  it("refuses a truncated backup in one line", async () => {
    const bytes = readFileSync(archive);
    const file = join(work, "truncated.tar");
    writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const target = join(work, "from-truncated");
    const line = expectRefused(await trailproof(["restore", "--from", file, "--data", target]), "BACKUP_CORRUPT");
    expect(line).toContain("truncated or damaged");
    expectNothingLeft(target);
  }, 60_000);

  it("refuses to restore into a non-empty directory, and to overwrite a backup", async () => {
    const target = join(work, "occupied");
    mkdirSync(target);
    writeFileSync(join(target, "keep.txt"), "mine");
    expectRefused(await trailproof(["restore", "--from", archive, "--data", target]), "RESTORE_TARGET_NOT_EMPTY");
    expect(readdirSync(target)).toEqual(["keep.txt"]);
    expect(readFileSync(join(target, "keep.txt"), "utf8")).toBe("mine");

    const before = readFileSync(archive);
    expectRefused(await trailproof(["backup", "--data", data, "--out", archive]), "BACKUP_OUT_EXISTS");
    expect(readFileSync(archive).equals(before)).toBe(true);
    expect(readdirSync(work).filter((n) => n.includes(".staging-") || n.includes(".partial-"))).toEqual([]);

    const missing = join(work, "no-such-data");
    const out = join(work, "never.tar");
    expectRefused(await trailproof(["backup", "--data", missing, "--out", out]), "DATA_DIR_NOT_FOUND");
    expect(existsSync(out) || existsSync(missing)).toBe(false);

    // Layout 1 (every log in trailproof.db) has no tenant files to copy until the service migrates it.
    const v1 = join(work, "store-v1");
    cpSync(join(ROOT, "testdata/store-v1"), v1, { recursive: true });
    const line = expectRefused(await trailproof(["backup", "--data", v1, "--out", out]), "DATA_DIR_INVALID");
    expect(line).toContain("trailproof serve");
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});

describe("trailproof backup and restore of a pruned log", () => {
  const DAY_MS = 86_400_000;
  const pruned = join(work, "pruned-data");
  const prunedArchive = join(work, "pruned-backup.tar");

  beforeAll(async () => {
    // Received 100 days ago under a 30-day default: `trailproof prune` removes their bodies.
    const then = Date.now() - 100 * DAY_MS;
    const old = await openDataDir({ dataDir: pruned, checkpointIntervalMs: 0, now: () => then });
    try {
      const t = await old.ledger.createTenant("acme");
      const results = await old.ledger.append("acme", sampleEvents(20, { seed: 4, idPrefix: "old_", startMs: then }));
      expect(results.every((r) => r.status === "created")).toBe(true);
      await old.ledger.publishCheckpoints();
      await old.retention.setRetentionPolicy(
        t.tenantId,
        { defaultKeepDays: 30, rules: [] },
        "test",
        new Date().toISOString(),
      );
      await old.settled();
    } finally {
      await old.ledger.close();
    }
    const run = await trailproof(["prune", "--data", pruned]);
    expect(run.stdout).toContain("acme: pruned 20 entries [0, 20) by entry 20");
    const backup = await trailproof(["backup", "--data", pruned, "--out", prunedArchive]);
    expect(backup.stderr).toBe("");
    expect(backup.code).toBe(0);
  }, 60_000);

  it("restores a pruned log, which verifies with its pruned range reported", async () => {
    const target = join(work, "pruned-restored");
    const restored = await trailproof(["restore", "--from", prunedArchive, "--data", target]);
    expect(restored.stderr).toBe("");
    expect(restored.code).toBe(0);
    const verified = await trailproof(["verify", "--data", target]);
    expect(verified.stdout).toMatch(/^OK acme/m);
    expect(verified.stdout).toContain("pruned: 20 entries in 1 range(s): [0, 20) by entry 20");
    expect(verified.code).toBe(0);
  }, 60_000);

  it("refuses a backup whose pruned-range record was deleted (bodies gone with no prune recorded)", async () => {
    const unpacked = join(work, "pruned-unpacked");
    mkdirSync(unpacked);
    await extract({ file: prunedArchive, cwd: unpacked });
    const db = new Database(join(unpacked, "tenants", "acme.db"));
    for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as {
      name: string;
    }[]) {
      db.exec(`DROP TRIGGER ${name}`);
    }
    expect(db.prepare("DELETE FROM pruned_ranges").run().changes).toBe(1);
    db.close();
    const manifest = JSON.parse(readFileSync(join(unpacked, "manifest.json"), "utf8")) as {
      files: Record<string, string>;
    };
    manifest.files["tenants/acme.db"] = createHash("sha256")
      .update(readFileSync(join(unpacked, "tenants", "acme.db")))
      .digest("hex");
    writeFileSync(join(unpacked, "manifest.json"), JSON.stringify(manifest));
    const rewritten = join(work, "pruned-rewritten.tar");
    await create({ file: rewritten, cwd: unpacked, portable: true }, readdirSync(unpacked));
    const target = join(work, "from-pruned-rewritten");
    const line = expectRefused(await trailproof(["restore", "--from", rewritten, "--data", target]), "BACKUP_CORRUPT");
    expect(line).toMatch(/: tenant acme: BODY_REMOVED at index 0: /);
    expectNothingLeft(target);
  }, 60_000);
});
