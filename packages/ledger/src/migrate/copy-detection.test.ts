// A cursor the SQLite service moved past the entries this run copied (it kept
// following while the copy ran) is left for the next run, with a note: copied
// now, it would index entries the target does not hold yet.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openSqliteStores } from "../store/sqlite/open-sqlite-store.js";
import { copyDetection } from "./copy-detection.js";
import type { SqliteStateReader } from "./sqlite-source.js";

describe("copyDetection", () => {
  it("copies the alert follower's cursor only up to the copied log, and says what it left", async () => {
    const target = openSqliteStores(mkdtempSync(join(tmpdir(), "trailproof-copy-detection-")));
    try {
      const t = await target.log.createTenant({
        name: "acme",
        origin: "example.test/acme",
        unknownActions: "accept",
        createdAt: new Date().toISOString(),
      });
      const snapshot = { rules: {} };
      const source = {
        ruleVersions: () => [],
        alerts: () => [],
        alertFollowers: () => [{ tenantId: 7, covered: 50, snapshot }],
      } as unknown as SqliteStateReader;
      const mapId = () => t.tenantId;

      const notes: string[] = [];
      const behind = await copyDetection(source, target.rules, mapId, new Map([[t.tenantId, 40]]), notes);
      expect(behind.alertFollower).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
      expect(notes).toEqual([
        `the alert follower of tenant ${t.tenantId}: its cursor (50) is beyond the copied log, left for the next run (stop the service, copy again)`,
      ]);
      expect(await target.rules.alertFollowerState(t.tenantId)).toEqual({ covered: 0, snapshot: null });

      const caughtUp = await copyDetection(source, target.rules, mapId, new Map([[t.tenantId, 50]]), []);
      expect(caughtUp.alertFollower).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
      expect(await target.rules.alertFollowerState(t.tenantId)).toEqual({ covered: 50, snapshot });
    } finally {
      await target.log.close();
    }
  });
});
