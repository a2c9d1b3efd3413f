// The access and people conformance suites on real SQLite data directories
// (the catalogue file, trailproof.db, beside the tenants' log files).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CatalogueStores, runAccessStoreConformance } from "../access-store.conformance.js";
import { type ApprovalStores, runApprovalStoreConformance } from "../approval-store.conformance.js";
import { runPeopleStoreConformance } from "../people-store.conformance.js";
import { type RetentionStores, runRetentionStoreConformance } from "../retention-store.conformance.js";
import { openSqliteStores } from "./open-sqlite-store.js";

async function open(): Promise<CatalogueStores & ApprovalStores & RetentionStores> {
  const { log, access, people, approvals, retention } = openSqliteStores(
    mkdtempSync(join(tmpdir(), "trailproof-catalogue-")),
  );
  return {
    access,
    people,
    approvals,
    retention,
    createTenant: async (name) =>
      (await log.createTenant({ name, origin: `test/${name}`, unknownActions: "reject", createdAt: "x" })).tenantId,
    close: () => log.close(),
  };
}

runAccessStoreConformance("SQLite files", open);
runPeopleStoreConformance("SQLite files", open);
runApprovalStoreConformance("SQLite files", open);
runRetentionStoreConformance("SQLite files", open);
