// A 10,000-event log of mixed categories, received 100 days ago, with two
// people erased (one under a legal hold, whose entries stay, and one whose
// entries are then pruned), pruned by category, tag and default rules
// around the hold in bounded batches: it still verifies whole, erased values
// are counted apart and read as erased, the checkpoint signed before is
// consistent with the one after, and kept and pruned entries alike are
// proven in the latest checkpoint (kept ones from their bodies), with the
// RFC 6962 verifiers that the Go tlog vectors in testdata/ check.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashLeaf, verifyConsistency, verifyInclusion } from "@trailproof/core";
import { nodeHasher, openDataDir, Pruner, tenantLogReport } from "@trailproof/ledger";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { sampleEvents } from "../apps/server/src/demo/sample-events.js";
import { eraseAsTheService } from "./erase-subject.js";

const DAY_MS = 86_400_000;
const EVENTS = 10_000;

describe("retention at 10,000 events", () => {
  it("prunes in bounded batches around a hold, and the log still verifies and proves", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "trailproof-retention-scale-"));
    const then = Date.now() - 100 * DAY_MS;
    const data = await openDataDir({ dataDir, checkpointIntervalMs: 0, now: () => then });
    try {
      const t = await data.ledger.createTenant("acme");
      for (let i = 0; i < EVENTS; i += 1000) {
        const results = await data.ledger.append(
          "acme",
          sampleEvents(1000, { seed: i + 1, idPrefix: `e${i}`, startMs: then - DAY_MS + i * 10 }),
        );
        expect(results.every((r) => r.status === "created")).toBe(true);
      }
      await data.ledger.publishCheckpoints();
      const before = await data.ledger.latestCheckpoint("acme");
      await data.retention.setRetentionPolicy(
        t.tenantId,
        {
          defaultKeepDays: 30,
          rules: [
            { match: "category", value: "configuration", keepDays: 3650 },
            { match: "tag", value: "app:crm", keepDays: 365 },
          ],
        },
        "test",
        new Date().toISOString(),
      );
      await data.retention.insertLegalHold({
        holdId: "hold_grace",
        tenantId: t.tenantId,
        scope: { type: "actor", actorId: "usr_grace" },
        reason: "litigation",
        expiresAt: null,
        placedBy: "test",
        placedAt: new Date().toISOString(),
        liftedBy: null,
        liftedAt: null,
      });
      await data.settled();

      // Erasure as the service carries it out: shred, then record erasure.complete (by pseudonym).
      const erasedValues: Record<string, number> = {};
      for (const person of ["usr_grace", "usr_linus"]) {
        const record = await eraseAsTheService(data.ledger, "acme", person, `ers_scale_${person}`, new Date(then));
        erasedValues[person] = record.valuesErased;
      }
      await data.settled();

      const pruner = new Pruner(data.ledger, data.retention);
      let pruned = 0;
      let runs = 0;
      for (;;) {
        const r = await pruner.run("acme", { nowMs: Date.now(), maxEntries: 2500 });
        if (r.pruneIndex === null) break;
        expect(r.entries).toBeLessThanOrEqual(2500);
        pruned += r.entries;
        runs += 1;
      }
      expect(runs).toBeGreaterThan(1);
      expect(pruned).toBeGreaterThan(1000);
      expect(pruned).toBeLessThan(EVENTS);

      await data.ledger.publishCheckpoints();
      await data.settled();
      const keys = (await data.ledger.verifierKeys("acme")).map((k) => k.verifier_key);
      const report = await tenantLogReport(data.ledger.store, nodeHasher, "acme", {
        verifierKeys: keys,
        derived: data.audits,
      });
      expect(report.divergences).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.pruned.entries).toBe(pruned);
      expect(report.erasure.erasures).toBe(2);
      // Grace's entries are held, so all her erased values are still there as tombstones;
      // Linus's went with their pruned bodies, unless kept by a longer rule.
      expect(report.erasure.erased).toBeGreaterThanOrEqual(erasedValues.usr_grace as number);
      expect(report.erasure.erased).toBeLessThan(
        (erasedValues.usr_grace as number) + (erasedValues.usr_linus as number),
      );

      const latest = await data.ledger.latestCheckpoint("acme");
      const consistency = await data.ledger.consistencyProof("acme", before.treeSize, latest.treeSize);
      verifyConsistency(nodeHasher, before.treeSize, latest.treeSize, consistency, before.rootHash, latest.rootHash);

      const entries = await data.ledger.readEntries("acme", 0, EVENTS + 2);
      let kept = 0;
      for (const e of entries) {
        const body =
          e.leafData.length > 0 ? (JSON.parse(Buffer.from(e.leafData).toString()) as Record<string, unknown>) : null;
        if (body !== null) {
          kept += 1;
          const tags = (body.tags as string[] | undefined) ?? [];
          const actor = (body.actor as { id: string }).id;
          // Kept for a reason: the hold, the ten-year category, the one-year tag, or the erasure's record.
          expect(
            actor === "usr_grace" ||
              body.category === "configuration" ||
              tags.includes("app:crm") ||
              body.action === "erasure.complete",
          ).toBe(true);
          if (actor === "usr_grace" && e.index % 7 === 0) {
            // Her values read as erased, never as a value and never missing.
            const opened = await data.ledger.openDisclosures("acme", e.index);
            expect(opened.length).toBeGreaterThan(0);
            expect(opened.every((d) => d.state === "erased")).toBe(true);
          }
        }
        if (e.index % 97 !== 0) continue;
        const leafHash = body === null ? e.leafHash : hashLeaf(nodeHasher, e.leafData);
        const proof = await data.ledger.inclusionProof("acme", e.index, latest.treeSize);
        verifyInclusion(nodeHasher, e.index, latest.treeSize, leafHash, proof, latest.rootHash);
      }
      expect(kept + pruned).toBe(EVENTS + 2);

      // The search projection rebuilt from the pruned log (the tamper runbook's step): it skips
      // the pruned entries, and the rebuilt rows pass verification's projection audit.
      await data.ledger.close();
      const file = new Database(join(dataDir, "tenants", "acme.db"));
      const objects = file
        .prepare("SELECT type, name FROM sqlite_master WHERE name LIKE 'search%' OR name = 'projection_state'")
        .all() as { type: string; name: string }[];
      for (const o of objects.filter((x) => x.type === "view")) file.exec(`DROP VIEW IF EXISTS "${o.name}"`);
      for (const o of objects.filter((x) => x.type === "table")) file.exec(`DROP TABLE IF EXISTS "${o.name}"`);
      file.close();
      const reopened = await openDataDir({ dataDir, checkpointIntervalMs: 0 });
      try {
        await reopened.settled();
        const rebuilt = await tenantLogReport(reopened.ledger.store, nodeHasher, "acme", {
          verifierKeys: keys,
          derived: reopened.audits,
        });
        expect(rebuilt.divergences).toEqual([]);
        const found = await reopened.query.search(t.tenantId, {}, { limit: 1, order: "asc" });
        expect(found.entries.length).toBe(1);
        expect(found.entries[0]?.leafData.length).toBeGreaterThan(0);
      } finally {
        await reopened.ledger.close();
      }
    } finally {
      await data.ledger.close();
    }
  }, 180_000);
});
