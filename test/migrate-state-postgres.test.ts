// `trailproof migrate` carrying the service's state, not only logs and the
// access catalogue: a data directory with a retention policy, legal holds, an
// alert rule that raised an alert, a notification channel with a delivery, a
// report schedule, a platform key, a stream and a cosignature is copied into
// a real PostgreSQL database whose tenant ids differ. The rows are there with
// translated ids, secrets open under the target's master key, a re-run copies
// nothing new, a later change in the source is carried, and on PostgreSQL the
// alert follower resumes from the copied cursor and snapshot while the
// platform key authenticates.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromUtf8 } from "@trailproof/core";
import {
  createMasterKey,
  type DataDir,
  issueApiKey,
  issuePlatformKey,
  type MigrateDataDirReport,
  migrateDataDir,
  openDatabase,
  openDataDir,
  provisionTenant,
} from "@trailproof/ledger";
import { buildApp, createMetrics, DEFAULT_CONFIG } from "@trailproof/server";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestDatabase,
  type TestDatabase,
} from "../packages/ledger/src/store/postgres/postgres-test-database.fixture.js";
import { trailproof } from "./run-cli.js";

const AT = new Date(Date.now() - 3_600_000).toISOString();
const LATER = new Date(Date.now() - 1_800_000).toISOString();
/** Every count of the state part of a report, by copier and outcome. */
type StateCounts = MigrateDataDirReport["state"];

const denial = (id: string, actor: string) => ({
  id,
  action: "permission.grant",
  occurred_at: new Date().toISOString(),
  actor: { type: "user", id: actor },
  target: { type: "app", id: "app_payroll" },
  outcome: { status: "denied" },
});

async function post(app: FastifyInstance, key: string, events: object[], tenant?: string) {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (tenant !== undefined) headers["x-trailproof-tenant"] = tenant;
  return app.inject({ method: "POST", url: "/v1/events", headers, payload: { events } });
}

/** Waits until the alert follower covers the whole log (what it appends is followed in turn). */
async function followAlerts(data: DataDir, tenant: string, tenantId: number): Promise<void> {
  const follower = data.ledger.followers.find((f) => f.name === "alerts");
  const deadline = Date.now() + 20_000;
  for (;;) {
    await follower?.idle();
    const size = await data.ledger.treeSize(tenant);
    if ((await data.rules.alertFollowerState(tenantId)).covered === size) return;
    if (Date.now() > deadline) throw new Error(`alert follower behind the log of ${tenant}`);
    follower?.notify(tenantId, size);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function alertRaises(data: DataDir, tenant: string): Promise<string[]> {
  const entries = await data.ledger.readEntries(tenant, 0, await data.ledger.treeSize(tenant));
  return entries
    .map((e) => JSON.parse(fromUtf8(e.leafData)) as { action: string; id: string })
    .filter((e) => e.action === "alert.raise")
    .map((e) => e.id);
}

function newOrUpdated({ notes, ...state }: StateCounts): Record<string, number> {
  expect(notes).toEqual([]);
  return Object.fromEntries(Object.entries(state).map(([k, c]) => [k, c.inserted + c.updated]));
}

describe("trailproof migrate: the service's state", () => {
  let db: TestDatabase;
  let dataDir: string;
  let masterKeyFile: string;
  let sourceAcme: number;
  let ingestKey: string;
  let platformKey: string;
  let platformKeyId: string;
  let cosignedSize: number;
  let alertId: string;
  /** Everything the source holds, read through the SQLite stores after the service wrote it. */
  let source: Awaited<ReturnType<typeof readState>>;

  async function readState(data: DataDir, tenantId: number) {
    return {
      policy: await data.retention.retentionPolicy(tenantId),
      holds: await data.retention.listLegalHolds(tenantId),
      rules: await data.rules.allRuleVersions(tenantId),
      alerts: await data.rules.listAlerts(tenantId, { limit: 10 }),
      follower: await data.rules.alertFollowerState(tenantId),
      channels: await data.notifications.listChannels(tenantId),
      channelSecret: await data.notifications.channelSecret(tenantId, "chn_ops"),
      deliveries: await data.notifications.listDeliveries(tenantId, { limit: 10 }),
      attempts: await data.notifications.listAttempts(tenantId, "dlv_migrate_1"),
      notificationCovered: await data.notifications.followerCovered(tenantId),
      schedules: await data.reports.listSchedules(tenantId),
      platformKey: await data.access.findPlatformKey(platformKeyId),
      streams: await data.streams.listStreams(tenantId),
      streamProgress: await data.streams.progress(tenantId, "str_siem"),
      streamSecret: await data.streams.streamSecret(tenantId, "str_siem"),
      cosignatures: await data.cosignatures.cosignaturesAt(tenantId, cosignedSize),
      dualControl: await data.approvals.dualControl(tenantId),
    };
  }

  /** `state` with every tenant id replaced by `tenantId` (what the copy must hold). */
  function translated(state: typeof source, tenantId: number): typeof source {
    const t = <T extends { tenantId: number | null }>(rows: T[]) => rows.map((r) => ({ ...r, tenantId }));
    return {
      ...state,
      holds: t(state.holds),
      rules: t(state.rules),
      alerts: t(state.alerts),
      channels: t(state.channels),
      deliveries: t(state.deliveries),
      schedules: t(state.schedules),
      streams: t(state.streams),
      cosignatures: t(state.cosignatures),
    };
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), "trailproof-migrate-state-"));
    // Not the data directory's master key: every sealed secret must be opened and sealed again.
    masterKeyFile = join(mkdtempSync(join(tmpdir(), "trailproof-migrate-state-key-")), "master.key");
    createMasterKey(masterKeyFile);

    const data = await openDataDir({ dataDir, checkpointIntervalMs: 0, sealingWorkers: 0 });
    const app = await buildApp({
      ...data,
      config: { ...DEFAULT_CONFIG, alertTickMs: 0 },
      metrics: createMetrics(),
      logger: false,
    });
    try {
      const made = await provisionTenant(data.ledger, data.access, "acme", { createdBy: "test" });
      sourceAcme = made.tenant.tenantId;
      ingestKey = (await issueApiKey(data.access, { tenantId: sourceAcme, role: "ingest", name: "ci", createdBy: "t" }))
        .key;
      const platform = await issuePlatformKey(data.access, { name: "platform", tenants: ["acme"], createdBy: null });
      platformKey = platform.key;
      platformKeyId = platform.record.keyId;

      const rule = await app.inject({
        method: "POST",
        url: "/v1/rules",
        headers: { authorization: `Bearer ${made.adminKey}` },
        payload: {
          name: "Two denials",
          severity: "high",
          condition: {
            type: "threshold",
            query: "outcome:denied",
            count: 2,
            window_seconds: 3600,
            group_by: ["actor"],
          },
        },
      });
      expect(rule.statusCode).toBe(201);
      // usr_a is denied twice (an alert); usr_b once: only the snapshot remembers that one.
      const sent = await post(app, ingestKey, [
        denial("deny_a_1", "usr_a"),
        denial("deny_a_2", "usr_a"),
        denial("deny_b_1", "usr_b"),
      ]);
      expect(sent.statusCode).toBe(200);
      await followAlerts(data, "acme", sourceAcme);
      expect(await alertRaises(data, "acme")).toHaveLength(1);
      const [alert] = await data.rules.listAlerts(sourceAcme, { limit: 10 });
      alertId = alert?.alertId as string;
      expect(
        await data.rules.transitionAlert(sourceAcme, alertId, { to: "acknowledged", by: "key_ada", at: LATER }),
      ).toBe("changed");
      await data.ledger.publishCheckpoints();
      await data.settled();
    } finally {
      await app.close();
    }

    // The rest through the service's own stores (no app: no worker sends or fires while the state is set up).
    await data.retention.setRetentionPolicy(
      sourceAcme,
      { defaultKeepDays: 400, rules: [{ match: "category", value: "security", keepDays: 2555 }] },
      "key_ada",
      AT,
    );
    const hold = { tenantId: sourceAcme, reason: "litigation 2026-17", expiresAt: null, placedBy: "key_ada" };
    await data.retention.insertLegalHold({
      ...hold,
      holdId: "hold_active",
      scope: { type: "actor", actorId: "usr_a" },
      placedAt: AT,
      liftedBy: null,
      liftedAt: null,
    });
    await data.retention.insertLegalHold({
      ...hold,
      holdId: "hold_lifted",
      scope: { type: "tag", tag: "payroll" },
      placedAt: AT,
      liftedBy: "key_bob",
      liftedAt: LATER,
    });
    await data.approvals.setSingleAdmin(sourceAcme, true, "key_ada", AT);
    await data.notifications.insertChannel(
      {
        channelId: "chn_ops",
        tenantId: sourceAcme,
        name: "ops",
        kind: "webhook",
        format: "native",
        url: "http://127.0.0.1:9/hook",
        enabled: true,
        createdAt: AT,
        createdBy: "key_ada",
        updatedAt: AT,
        updatedBy: "key_ada",
      },
      "whsec_ops_secret",
    );
    await data.notifications.enqueue(
      sourceAcme,
      [
        {
          key: "migrate-1",
          kind: "alert.raise",
          sourceEventId: alertId,
          sourceIndex: 4,
          payload: { type: "alert.raise" },
          channelIds: ["chn_ops"],
        },
      ],
      AT,
    );
    // One failed attempt, as the worker records it: the copy must not start its count again.
    const [claimed] = await data.notifications.claimDue(LATER, new Date().toISOString(), "node-a", 1);
    expect(claimed).toBeDefined();
    await data.notifications.recordAttempt(
      { deliveryId: claimed?.deliveryId as string, tenantId: sourceAcme, claimToken: claimed?.claimToken as string },
      {
        deliveryId: claimed?.deliveryId as string,
        attempt: 1,
        at: LATER,
        httpStatus: 503,
        error: "HTTP 503",
        durationMs: 4,
      },
      { status: "pending", nextAttemptAt: new Date(Date.now() + 86_400_000).toISOString(), lastError: "HTTP 503" },
    );
    await data.reports.insertSchedule({
      scheduleId: "rsc_weekly",
      tenantId: sourceAcme,
      name: "weekly access review",
      cron: "0 6 * * 1",
      period: "previous_week",
      definition: { name: "access review", sections: [], checks: [] },
      channelIds: ["chn_ops"],
      enabled: false,
      createdBy: "key_ada",
      createdAt: AT,
      updatedAt: AT,
      lastFiredAt: LATER,
      lastReportId: "rpt_1",
    });
    await data.streams.insertStream(
      {
        streamId: "str_siem",
        tenantId: sourceAcme,
        name: "siem",
        destinationType: "webhook",
        destination: { url: "http://127.0.0.1:9/siem" },
        format: "ndjson",
        filter: "",
        personal: "drop",
        status: "paused",
        hasSecret: true,
        createdAt: AT,
        createdBy: "key_ada",
        updatedAt: AT,
        updatedBy: "key_ada",
      },
      0,
      "siem_bearer_secret",
    );
    await data.streams.advance(sourceAcme, "str_siem", { from: 0, to: 5, lastSent: 3, delivered: 4, at: LATER });
    cosignedSize = (await data.ledger.latestCheckpoint("acme")).treeSize;
    await data.cosignatures.putCosignature({
      tenantId: sourceAcme,
      treeSize: cosignedSize,
      witnessKey: "witness.example/w1+0123abcd+AQID",
      line: "— witness.example/w1 ASNFZwAAAABmZmZm",
      timestamp: 1_770_000_000,
      receivedAt: LATER,
    });
    await data.settled();
    source = await readState(data, sourceAcme);
    await data.ledger.close();

    // PostgreSQL numbers its tenants itself: one made there first shifts every copied id.
    const target = await openDatabase({ database: db.appUrl, masterKeyFile, checkpointIntervalMs: 0 });
    await target.ledger.createTenant("preexisting");
    await target.settled();
    await target.ledger.close();
  }, 90_000);

  afterAll(async () => {
    await db?.drop();
  });

  it("copies every kind of state with translated tenant ids, and a re-run copies nothing new", async () => {
    const first = await migrateDataDir({ from: dataDir, to: db.appUrl, masterKeyFile });
    expect(first.ok).toBe(true);
    expect(newOrUpdated(first.state)).toEqual({
      retentionPolicies: 1,
      legalHolds: 2,
      ruleVersions: 1,
      alerts: 1,
      alertFollower: 1,
      channels: 1,
      deliveries: 1,
      notificationCursor: 1,
      reportSchedules: 1,
      platformKeys: 1,
      streams: 1,
      cosignatures: 1,
      dualControl: 1,
    });

    const served = await openDatabase({ database: db.appUrl, masterKeyFile, checkpointIntervalMs: 0 });
    try {
      const acme = (await served.ledger.getTenant("acme"))?.tenantId as number;
      expect(acme).not.toBe(sourceAcme);
      const copied = await readState(served, acme);
      expect(copied).toEqual(translated(source, acme));
      // What the comparison must not pass vacuously.
      expect(copied.holds.map((h) => [h.holdId, h.liftedAt])).toEqual([
        ["hold_active", null],
        ["hold_lifted", LATER],
      ]);
      expect(copied.alerts[0]).toMatchObject({ alertId, status: "acknowledged", acknowledgedBy: "key_ada" });
      expect(copied.follower.covered).toBeGreaterThan(0);
      expect(copied.follower.snapshot).not.toBeNull();
      expect(copied.channelSecret).toBe("whsec_ops_secret");
      expect(copied.streamSecret).toBe("siem_bearer_secret");
      expect(copied.streamProgress).toMatchObject({ covered: 5, lastSent: 3, delivered: 4 });
      expect(copied.deliveries[0]).toMatchObject({ status: "pending", attempts: 1, lastError: "HTTP 503" });
      expect(copied.schedules[0]).toMatchObject({ lastFiredAt: LATER, lastReportId: "rpt_1" });
      expect(copied.cosignatures).toHaveLength(1);
      expect(copied.dualControl.singleAdmin).toBe(true);
      // Nothing of acme's landed on the tenant PostgreSQL made itself.
      expect(await served.retention.listLegalHolds(1)).toEqual([]);
    } finally {
      // Its followers' first reads finished: closing under them would leave a rejection behind.
      await served.settled();
      await served.ledger.close();
    }

    const again = await migrateDataDir({ from: dataDir, to: db.appUrl, masterKeyFile });
    expect(Object.values(newOrUpdated(again.state)).every((n) => n === 0)).toBe(true);
    expect(again.state.legalHolds.unchanged).toBe(2);

    // The CLI prints the state's counts.
    const cli = await trailproof(["migrate", "--from", dataDir, "--to", db.appUrl, "--master-key-file", masterKeyFile]);
    expect(cli.stdout).toContain("legal holds 0 new, 0 updated, 2 unchanged");
    expect(cli.stdout).toContain("alert follower cursors 0 new, 0 updated, 1 unchanged");
    expect(cli.stdout).toContain("not copied: pending approvals");
  }, 60_000);

  it("carries a later lift and alert resolution on a catch-up run, undoing nothing", async () => {
    const data = await openDataDir({ dataDir, checkpointIntervalMs: 0, sealingWorkers: 0 });
    try {
      expect(await data.retention.liftLegalHold(sourceAcme, "hold_active", "key_bob", new Date().toISOString())).toBe(
        true,
      );
      const resolved = { to: "resolved", by: "key_bob", at: new Date().toISOString() } as const;
      expect(await data.rules.transitionAlert(sourceAcme, alertId, resolved)).toBe("changed");
    } finally {
      await data.ledger.close();
    }
    const caught = await migrateDataDir({ from: dataDir, to: db.appUrl, masterKeyFile });
    expect(caught.state.legalHolds).toEqual({ inserted: 0, updated: 1, unchanged: 1 });
    expect(caught.state.alerts).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    const served = await openDatabase({ database: db.appUrl, masterKeyFile, checkpointIntervalMs: 0 });
    try {
      const acme = (await served.ledger.getTenant("acme"))?.tenantId as number;
      expect((await served.retention.findLegalHold(acme, "hold_active"))?.liftedBy).toBe("key_bob");
      expect(await served.rules.findAlert(acme, alertId)).toMatchObject({
        status: "resolved",
        resolvedBy: "key_bob",
        acknowledgedBy: "key_ada",
      });
    } finally {
      // Its followers' first reads finished: closing under them would leave a rejection behind.
      await served.settled();
      await served.ledger.close();
    }
  }, 60_000);

  it("on PostgreSQL, the alert follower resumes from the copied cursor and snapshot, and the platform key authenticates", async () => {
    const served = await openDatabase({ database: db.appUrl, masterKeyFile, checkpointIntervalMs: 0 });
    // Every alert.raise the follower on PostgreSQL tries to append, duplicates included: a follower
    // that started again from index 0 would re-raise usr_a's alert (refused as a duplicate, but tried).
    const evaluated: string[] = [];
    const append = served.ledger.append.bind(served.ledger);
    served.ledger.append = async (tenant, inputs, options) => {
      if (options?.appendedBy?.id === "alerts") evaluated.push(...inputs.map((i) => (i as { id: string }).id));
      return append(tenant, inputs, options);
    };
    const app = await buildApp({
      ...served,
      config: { ...DEFAULT_CONFIG, alertTickMs: 0 },
      metrics: createMetrics(),
      logger: false,
    });
    try {
      const acme = (await served.ledger.getTenant("acme"))?.tenantId as number;
      // usr_b's second denial: an alert only if the snapshot remembers the first, made on SQLite.
      const sent = await post(app, ingestKey, [denial("deny_b_2", "usr_b")]);
      expect(sent.statusCode).toBe(200);
      await followAlerts(served, "acme", acme);
      const raises = await alertRaises(served, "acme");
      // usr_a's alert is not raised again, and usr_b's is raised once.
      expect(raises).toHaveLength(2);
      expect(evaluated).toEqual([raises[1]]);
      const alerts = await served.rules.listAlerts(acme, { limit: 10 });
      expect(alerts).toHaveLength(2);
      // The new one groups another actor, and counts the denial evaluated on SQLite.
      expect(alerts[0]?.raised.group).not.toEqual(alerts[1]?.raised.group);
      expect(JSON.stringify(alerts[0]?.raised)).toContain("deny_b_1");

      const viaPlatform = await post(app, platformKey, [denial("platform_1", "usr_c")], "acme");
      expect(viaPlatform.statusCode).toBe(200);
    } finally {
      await app.close();
      await served.settled();
      await served.ledger.close();
    }
  }, 60_000);
});
