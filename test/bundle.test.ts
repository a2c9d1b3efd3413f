// Export bundles: written from a real store, verified offline by core with no
// database, and refused when edited or signed by a key other than the pinned one.
import { createReadStream, createWriteStream, readFileSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { buildEd25519Signer, bundleReport, hasErrorCode } from "@trailproof/core";
import { bundleLines, nodeHasher, openDataDir } from "@trailproof/ledger";
import { describe, expect, it } from "vitest";
import { buildSealedLog } from "./sealed-log.js";

async function exportBundle(): Promise<{ path: string; verifierKey: string }> {
  const log = await buildSealedLog([5, 9]);
  const ledger = (await openDataDir({ dataDir: log.dataDir, checkpointIntervalMs: 0 })).ledger;
  const path = `${log.dataDir}/acme.bundle`;
  await pipeline(
    Readable.from(bundleLines(ledger.store, "acme", await ledger.verifierKeys("acme"))),
    createWriteStream(path),
  );
  await ledger.close();
  return { path, verifierKey: log.verifierKey };
}

const lines = (path: string) => createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });

describe("export bundles", () => {
  it("verify offline against the pinned key", async () => {
    const { path, verifierKey } = await exportBundle();
    const report = await bundleReport(nodeHasher, lines(path), { verifierKeys: [verifierKey] });
    expect(report).toMatchObject({ ok: true, treeSize: 14, checkpoints: 3, keysPinned: true, divergences: [] });
  });

  it("hold each entry byte-for-byte as its leaf data", async () => {
    const { path } = await exportBundle();
    const text = readFileSync(path, "utf8").trimEnd().split("\n");
    const header = JSON.parse(text[0] as string);
    expect(header).toMatchObject({ format: "trailproof-bundle/v2", tenant: "acme", tree_size: 14, checkpoints: 3 });
    expect(text).toHaveLength(1 + 3 + 14);
  });

  it("fail on an edited entry or a dropped line", async () => {
    const { path, verifierKey } = await exportBundle();
    const original = readFileSync(path, "utf8").split("\n");
    const edited = [...original];
    edited[8] = (edited[8] as string).replace('"occurred_at":"2026', '"occurred_at":"2025');
    writeFileSync(path, edited.join("\n"));
    const report = await bundleReport(nodeHasher, lines(path), { verifierKeys: [verifierKey] });
    expect(report.ok).toBe(false);
    expect(report.divergences[0]?.kind).toBe("ROOT_MISMATCH");

    writeFileSync(path, original.filter((_, i) => i !== original.length - 2).join("\n"));
    const truncated = await bundleReport(nodeHasher, lines(path), { verifierKeys: [verifierKey] });
    expect(truncated.divergences.map((d) => d.kind)).toContain("LOG_TRUNCATED");
  });

  it("fail when the pinned key did not sign it", async () => {
    const { path } = await exportBundle();
    const other = buildEd25519Signer(nodeHasher, "trailproof.localhost/log/acme", new Uint8Array(32).fill(3));
    const report = await bundleReport(nodeHasher, lines(path), { verifierKeys: [other.verifierKey] });
    expect(report.ok).toBe(false);
    expect(report.checkpoints).toBe(0);
  });

  it("refuses a file that is not a bundle with BUNDLE_MALFORMED", async () => {
    const { path } = await exportBundle();
    writeFileSync(path, '{"format":"something-else"}\n');
    await expect(bundleReport(nodeHasher, lines(path))).rejects.toSatisfy((e) => hasErrorCode(e, "BUNDLE_MALFORMED"));
  });
});
