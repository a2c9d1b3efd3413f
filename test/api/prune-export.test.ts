// Export of a pruned log against a real server and SQLite data directory
// (docs/log-format.md, bundle format v2): pruned entries travel as stand-ins
// in GET /v1/export and GET /v1/log/entries; the bundle verifies with core's
// bundleReport and with `trailproof verify --bundle`, the pruned entries
// reported apart from divergences; a stand-in whose leaf hash was changed,
// or that hides a body no retention.prune lists, is caught.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  bundleReport,
  encodePrunedEntryLine,
  fromBase64,
  hashLeaf,
  parsePrunedEntryLine,
  rootFromLeafHashes,
  toBase64,
  utf8,
} from "@trailproof/core";
import { nodeHasher } from "@trailproof/ledger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trailproof } from "../run-cli.js";
import { type ApiFixture, buildApiFixture } from "./api-fixture.js";

const DAY_MS = 86_400_000;
let clock = Date.now();
let f: ApiFixture;
let prune: { prune_index: number; entries: number; ranges: [number, number][] };
let verifierKey: string;
const dir = mkdtempSync(join(tmpdir(), "trailproof-prune-export-"));

beforeAll(async () => {
  f = await buildApiFixture({ acmeEvents: 24, retentionNow: () => clock });
  const asked = await f.request("PUT", "/v1/tenants/acme/retention", f.acme.admin, {
    default_keep_days: 30,
    rules: [{ match: "category", value: "configuration", keep_days: 3650 }],
    reason: "prune export test",
  });
  const second = await f.request("POST", "/v1/tenants/acme/keys", f.operator, { name: "second approver" });
  const approved = await f.request(
    "POST",
    `/v1/approvals/${asked.json().approval.id}/approve`,
    second.json().key as string,
  );
  if (approved.statusCode !== 200) throw new Error(`the policy was not approved: ${approved.body}`);
  await f.settled();
  clock = Date.now() + 100 * DAY_MS;
  const res = await f.request("POST", "/v1/tenants/acme/retention/prune", f.operator);
  prune = res.json().prune;
  if (!(prune.entries > 0)) throw new Error(`nothing was pruned: ${res.body}`);
  await f.data.ledger.publishCheckpoints();
  verifierKey = (await f.request("GET", "/v1/log/key", f.acme.auditor)).json().verifier_key;
});
afterAll(async () => {
  await f?.close();
});

const pruned = (i: number) => prune.ranges.some(([a, b]) => a <= i && i < b);

async function exportBundle(): Promise<string[]> {
  const res = await f.request("GET", "/v1/export", f.acme.auditor);
  expect(res.statusCode).toBe(200);
  return res.body.trimEnd().split("\n");
}

async function* linesOf(lines: readonly string[]): AsyncGenerator<string> {
  yield* lines;
}

describe("export of a pruned log", () => {
  it("carries each pruned entry as a stand-in with its leaf hash and retention.prune index", async () => {
    const lines = await exportBundle();
    const header = JSON.parse(lines[0] as string);
    expect(header.format).toBe("trailproof-bundle/v2");
    const entries = lines.slice(1 + header.checkpoints);
    expect(entries).toHaveLength(header.tree_size);
    const stored = await f.data.ledger.readEntries("acme", 0, header.tree_size);
    let standIns = 0;
    entries.forEach((line, i) => {
      const entry = stored[i];
      if (!entry) throw new Error(`entry ${i} is not stored`);
      if (pruned(i)) {
        standIns++;
        expect(line).toBe(encodePrunedEntryLine({ index: i, leafHash: entry.leafHash, pruneIndex: prune.prune_index }));
      } else {
        expect(toBase64(hashLeaf(nodeHasher, utf8(line)))).toBe(toBase64(entry.leafHash));
      }
    });
    expect(standIns).toBe(prune.entries);
  });

  it("verifies with bundleReport against the pinned key, the pruned entries reported apart", async () => {
    const report = await bundleReport(nodeHasher, linesOf(await exportBundle()), { verifierKeys: [verifierKey] });
    expect(report).toMatchObject({ ok: true, keysPinned: true, divergences: [] });
    expect(report.pruned.entries).toBe(prune.entries);
    expect(report.pruned.ranges.map((r) => [r.start, r.end])).toEqual(prune.ranges);
    expect(new Set(report.pruned.ranges.map((r) => r.pruneIndex))).toEqual(new Set([prune.prune_index]));
  });

  it("verifies with `trailproof verify --bundle`, and fails once a stand-in's leaf hash is changed", async () => {
    const lines = await exportBundle();
    const path = join(dir, "acme.bundle");
    writeFileSync(path, `${lines.join("\n")}\n`);
    const ok = await trailproof(["verify", "--bundle", path, "--key", verifierKey]);
    expect(ok.stdout).toMatch(/^OK acme/m);
    expect(ok.stdout).toContain(`pruned: ${prune.entries} entries in ${prune.ranges.length} range(s)`);
    expect(ok.code).toBe(0);

    const [start] = prune.ranges[0] as [number, number];
    const at = 1 + JSON.parse(lines[0] as string).checkpoints + start;
    const entry = parsePrunedEntryLine(utf8(lines[at] as string));
    if (!entry) throw new Error(`line ${at} is not a stand-in`);
    entry.leafHash[31] = (entry.leafHash[31] as number) ^ 0x80;
    const tampered = [...lines];
    tampered[at] = encodePrunedEntryLine(entry);
    const badPath = join(dir, "tampered.bundle");
    writeFileSync(badPath, `${tampered.join("\n")}\n`);
    const bad = await trailproof(["verify", "--bundle", badPath, "--key", verifierKey]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^FAILED acme/m);
    expect(bad.stdout).toContain("ROOT_MISMATCH");
    expect(readFileSync(path, "utf8")).not.toBe(readFileSync(badPath, "utf8"));
  });

  it("catches a kept entry's body hidden behind a stand-in with its true leaf hash", async () => {
    const lines = await exportBundle();
    const offset = 1 + JSON.parse(lines[0] as string).checkpoints;
    const kept = Array.from({ length: prune.prune_index }, (_, i) => i).find((i) => !pruned(i));
    if (kept === undefined) throw new Error("no kept entry before the prune");
    const leaf = utf8(lines[offset + kept] as string);
    const hidden = [...lines];
    hidden[offset + kept] = encodePrunedEntryLine({
      index: kept,
      leafHash: hashLeaf(nodeHasher, leaf),
      pruneIndex: prune.prune_index,
    });
    const report = await bundleReport(nodeHasher, linesOf(hidden), { verifierKeys: [verifierKey] });
    expect(report.ok).toBe(false);
    expect(report.divergences).toEqual([expect.objectContaining({ kind: "PRUNE_RECORD_FORGED", index: kept })]);
  });

  it("serves a pruned entry in GET /v1/log/entries as its stand-in, from which the signed root computes", async () => {
    const checkpoint = await f.data.ledger.latestCheckpoint("acme");
    const res = await f.request("GET", `/v1/log/entries?start=0&end=${checkpoint.treeSize}`, f.acme.auditor);
    expect(res.statusCode).toBe(200);
    const lines = res.body.trimEnd().split("\n");
    expect(lines).toHaveLength(checkpoint.treeSize);
    // What docs/log-format.md tells a client that hashes each line: a line starting {"pruned": carries its leaf hash.
    const leafHashes = lines.map((line, i) => {
      if (!line.startsWith('{"pruned":')) return hashLeaf(nodeHasher, utf8(line));
      expect(pruned(i)).toBe(true);
      const entry = JSON.parse(line).pruned;
      expect(entry).toMatchObject({ index: i, prune_index: prune.prune_index });
      return fromBase64(entry.leaf_hash);
    });
    expect(lines.filter((l) => l.startsWith('{"pruned":'))).toHaveLength(prune.entries);
    expect(toBase64(rootFromLeafHashes(nodeHasher, leafHashes))).toBe(toBase64(checkpoint.rootHash));
  });
});
