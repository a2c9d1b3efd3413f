// The access and people conformance suites on real SQLite data directories
// (the catalogue file, trailproof.db, beside the tenants' log files), and the
// triggers that keep platform keys append-only but for revocation.
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { channelSecretSealer } from "../../keys/channel-secrets.js";
import { AT, type CatalogueStores, platformKey, runAccessStoreConformance } from "../access-store.conformance.js";
import { type ApprovalStores, runApprovalStoreConformance } from "../approval-store.conformance.js";
import { runNotificationStoreConformance } from "../notification-store.conformance.js";
import { runPeopleStoreConformance } from "../people-store.conformance.js";
import { type ReportStores, runReportStoreConformance } from "../report-store.conformance.js";
import { type RetentionStores, runRetentionStoreConformance } from "../retention-store.conformance.js";
import { type RuleStores, runRuleStoreConformance } from "../rule-store.conformance.js";
import { runStreamStoreConformance } from "../stream-store.conformance.js";
import { openSqliteStores } from "./open-sqlite-store.js";
import { SqliteNotificationStore } from "./sqlite-notification-store.js";
import { SqliteStreamStore } from "./sqlite-stream-store.js";

async function open(): Promise<CatalogueStores & ApprovalStores & RetentionStores & ReportStores & RuleStores> {
  const { log, access, people, approvals, retention, reports, rules } = openSqliteStores(
    mkdtempSync(join(tmpdir(), "trailproof-catalogue-")),
  );
  return {
    access,
    people,
    approvals,
    retention,
    reports,
    rules,
    createTenant: async (name) =>
      (await log.createTenant({ name, origin: `test/${name}`, unknownActions: "reject", createdAt: "x" })).tenantId,
    close: () => log.close(),
  };
}

runAccessStoreConformance("SQLite files", open);
runPeopleStoreConformance("SQLite files", open);
runApprovalStoreConformance("SQLite files", open);
runRetentionStoreConformance("SQLite files", open);
runReportStoreConformance("SQLite files", open);
runRuleStoreConformance("SQLite files", open);
runStreamStoreConformance("SQLite files", async () => {
  const { log, catalogue } = openSqliteStores(mkdtempSync(join(tmpdir(), "trailproof-streams-")));
  const streams = new SqliteStreamStore(catalogue, channelSecretSealer(randomBytes(32)));
  return {
    streams,
    otherNode: () => streams,
    createTenant: async (name) =>
      (await log.createTenant({ name, origin: `test/${name}`, unknownActions: "reject", createdAt: "x" })).tenantId,
    close: () => log.close(),
  };
});

describe("SQLite platform_keys", () => {
  it("refuses a DELETE, a change to any column but revoked_at, and an undone revocation", async () => {
    const { access, catalogue, log } = openSqliteStores(mkdtempSync(join(tmpdir(), "trailproof-catalogue-")));
    try {
      await access.insertPlatformKey(platformKey("p1", { tenants: ["acme"] }));
      const refused = (statement: string) => expect(() => catalogue.exec(statement)).toThrow(/STORE_APPEND_ONLY/);
      refused("DELETE FROM platform_keys");
      refused("UPDATE platform_keys SET tenants = NULL");
      refused("UPDATE platform_keys SET create_tenants = 1");
      refused("UPDATE platform_keys SET secret_hash = 'x'");
      refused(`UPDATE platform_keys SET revoked_at = '${AT}', name = 'other'`);
      catalogue.exec(`UPDATE platform_keys SET revoked_at = '${AT}'`);
      refused("UPDATE platform_keys SET revoked_at = NULL");
      expect(await access.findPlatformKey("p1")).toEqual(platformKey("p1", { tenants: ["acme"], revokedAt: AT }));
    } finally {
      await log.close();
    }
  });
});

runNotificationStoreConformance("SQLite files", async () => {
  const { log, catalogue } = openSqliteStores(mkdtempSync(join(tmpdir(), "trailproof-catalogue-")));
  const notifications = new SqliteNotificationStore(catalogue, channelSecretSealer(randomBytes(32)));
  return {
    notifications,
    otherNode: () => notifications,
    createTenant: async (name) =>
      (await log.createTenant({ name, origin: `test/${name}`, unknownActions: "reject", createdAt: "x" })).tenantId,
    close: () => log.close(),
  };
});
