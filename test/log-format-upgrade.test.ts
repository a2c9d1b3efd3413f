// A data directory written before log format v2 (testdata/store-v1: layout 1,
// v1 leaves with unkeyed digests) opens, verifies, answers retries of its old
// events by their v1 digests, gets a digest key, and takes v2 entries after
// its v1 ones; the whole log still verifies.
import { cpSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeHasher, openDataDir, tenantLogReport } from "@trailproof/ledger";
import { describe, expect, it } from "vitest";
import { sampleEvents } from "../apps/server/src/demo/sample-events.js";

const INGEST = { type: "api_key", id: "00000000000000a1" } as const;

describe("a log written before log format v2", () => {
  it("verifies, keeps its v1 receipts for retries, and continues in v2", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "trailproof-upgrade-"));
    cpSync(join(import.meta.dirname, "../testdata/store-v1"), dataDir, { recursive: true });
    expect(existsSync(join(dataDir, "keys", "acme", "digest-key"))).toBe(false);
    const data = await openDataDir({ dataDir, checkpointIntervalMs: 0 });
    try {
      const { ledger } = data;
      const verifierKeys = (await ledger.verifierKeys("acme")).map((k) => k.verifier_key);
      const before = await tenantLogReport(ledger.store, nodeHasher, "acme", { verifierKeys });
      expect(before).toMatchObject({ ok: true, treeSize: 20, divergences: [] });

      // The fixture's first step, as test/sealed-log.ts sent it (testdata/store-v1/README.md).
      const sent = sampleEvents(12, { seed: 1, idPrefix: "evt_0", startMs: Date.UTC(2026, 0, 1) });
      const stored = await ledger.findEntry("acme", "evt_0_3");
      expect(stored?.contentDigest).toMatch(/^[0-9a-f]{64}$/);
      const [retry] = await ledger.append("acme", [sent[3]], { appendedBy: INGEST });
      expect(retry).toMatchObject({ status: "duplicate", id: "evt_0_3", index: 3 });
      const [changed] = await ledger.append("acme", [{ ...sent[3], message: "not what was sent" }], {
        appendedBy: INGEST,
      });
      expect(changed).toMatchObject({ status: "rejected", problems: [{ pointer: "/id" }] });

      const [fresh] = await ledger.append("acme", [{ ...sent[0], id: "after_upgrade" }], { appendedBy: INGEST });
      expect(fresh).toMatchObject({ status: "created", index: 20 });
      const [entry] = await ledger.readEntries("acme", 20, 21);
      const leaf = JSON.parse(new TextDecoder().decode(entry?.leafData));
      expect(leaf).toMatchObject({ schema_version: 2, appended_by: INGEST });
      expect(existsSync(join(dataDir, "keys", "acme", "digest-key"))).toBe(true);
      const [old] = await ledger.readEntries("acme", 0, 1);
      expect(JSON.parse(new TextDecoder().decode(old?.leafData))).not.toHaveProperty("appended_by");

      await ledger.publishCheckpoints();
      const after = await tenantLogReport(ledger.store, nodeHasher, "acme", { verifierKeys });
      expect(after).toMatchObject({ ok: true, treeSize: 21, divergences: [] });
    } finally {
      await data.ledger.close();
    }
  });
});
