// Alert evaluation as a pure function of the log (docs/alerts.md): a server
// closed between the alert.raise append and the cursor save raises no
// duplicate after its restart; replaying the same log from a reset follower
// state raises the same alerts and appends nothing; a back-test over the
// period names exactly the alerts live evaluation raised.
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { alertServers, eventually, exportBy, grantSelf, iso, raisedIds, uid } from "./alerts-fixture.js";

const { server, forget } = alertServers();

const denied = (actor: string, atMs: number) => ({
  id: uid("deny"),
  action: "permission.grant",
  occurred_at: iso(atMs),
  actor: { type: "user", id: actor },
  target: { type: "app", id: "app_payroll" },
  outcome: { status: "denied" },
  metadata: { permission: "admin" },
});

const THRESHOLD = {
  name: "Three denials",
  severity: "high",
  condition: { type: "threshold", query: "outcome:denied", count: 3, window_seconds: 60, group_by: ["actor"] },
};
const SEQUENCE = {
  name: "Grant to self, then export",
  severity: "critical",
  condition: {
    type: "sequence",
    by: "actor",
    within_seconds: 600,
    steps: [{ query: "action:permission.grant", self: true }, { query: "action:record.export" }],
  },
};

/** A mixed stream of `n` rounds from `t0`: some rounds raise a threshold alert, some a sequence alert. */
function stream(t0: number, n: number) {
  return Array.from({ length: n }, (_, r) => {
    const at = t0 + r * 120_000;
    const who = `usr_${r % 4}`;
    return r % 3 === 0
      ? [denied(who, at), denied(who, at + 1000), denied(who, at + 2000)]
      : r % 3 === 1
        ? [grantSelf(who, at), exportBy(who, at + 5000)]
        : [denied(who, at), exportBy(who, at + 1000)];
  });
}

function counts(ids: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const id of ids) m.set(id, (m.get(id) ?? 0) + 1);
  return m;
}

describe("alert evaluation across a crash", () => {
  it("raises no duplicate when the server stops between the alert.raise append and the cursor save", async () => {
    let crashing = true;
    const first = await server({
      beforeSave: () => {
        if (crashing) throw new Error("simulated crash before the cursor is saved");
      },
    });
    const rule = (await first.call("POST", "/v1/rules", first.keys.admin, THRESHOLD)).body.rule;
    const t0 = first.clock.ms + 1000;
    await first.ingest([denied("usr_mallory", t0), denied("usr_mallory", t0 + 1), denied("usr_mallory", t0 + 2)]);
    // The alert reaches the log; the cursor never moves (every attempt stops before the save).
    const raised = await eventually(async () => {
      const ids = raisedIds(await first.log());
      return ids.length > 0 ? ids : undefined;
    });
    const state = await first.data.rules.alertFollowerState((await first.data.ledger.tenantRecord("acme")).tenantId);
    expect(state.covered).toBeLessThan(await first.data.ledger.treeSize("acme"));
    crashing = false;
    await first.close();
    forget(first);

    // Restarted on the same directory: evaluation resumes from the old cursor and raises the same id again.
    const again = await server({ dataDir: first.dataDir, keys: first.keys, clock: first.clock });
    await again.settled();
    await again.ingest([denied("usr_eve", t0 + 10), denied("usr_eve", t0 + 11), denied("usr_eve", t0 + 12)]);
    await again.settled();
    const ids = raisedIds(await again.log());
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(raised[0]);
    expect([...counts(ids).values()]).toEqual([1, 1]);
    const alerts = (await again.call("GET", `/v1/alerts?rule=${rule.id}`, again.keys.admin)).body.alerts;
    expect(alerts.map((a: { id: string }) => a.id).sort()).toEqual([...ids].sort());
    const tenantId = (await again.data.ledger.tenantRecord("acme")).tenantId;
    expect((await again.data.rules.alertFollowerState(tenantId)).covered).toBe(
      await again.data.ledger.treeSize("acme"),
    );
  });
});

describe("the same log", () => {
  it("yields the same alerts when replayed from a reset follower state, and appends nothing new", async () => {
    const s = await server();
    await s.call("POST", "/v1/rules", s.keys.admin, THRESHOLD);
    await s.call("POST", "/v1/rules", s.keys.admin, SEQUENCE);
    await s.call("POST", "/v1/rules", s.keys.admin, {
      name: "Hourly heartbeat",
      severity: "low",
      condition: { type: "absence", query: "action:app.update", silence_seconds: 3600 },
    });
    const t0 = s.clock.ms + 1000;
    for (const round of stream(t0, 12)) {
      s.clock.ms += 60_000;
      await s.ingest(round);
    }
    // Silent for two hours: the tick raises the absence.
    s.clock.ms += 2 * 3_600_000;
    await eventually(async () => {
      await s.settled();
      const alerts = (await s.call("GET", "/v1/alerts", s.keys.admin)).body.alerts as { type: string }[];
      return alerts.some((a) => a.type === "absence") ? true : undefined;
    });
    const live = ((await s.call("GET", "/v1/alerts?limit=500", s.keys.admin)).body.alerts as { id: string }[])
      .map((a) => a.id)
      .sort();
    expect(live.length).toBeGreaterThanOrEqual(9);
    const size = await s.data.ledger.treeSize("acme");
    await s.close();
    forget(s);

    // A copy of the directory with the follower's state and the alerts it stored forgotten.
    const copy = join(mkdtempSync(join(tmpdir(), "trailproof-alerts-replay-")), "data");
    cpSync(s.dataDir, copy, { recursive: true });
    const catalogue = new Database(join(copy, "trailproof.db"));
    catalogue.exec("DROP TRIGGER alerts_delete; DELETE FROM alerts; DELETE FROM alert_follower;");
    catalogue.close();
    const replay = await server({ dataDir: copy, keys: s.keys, clock: { ms: s.clock.ms } });
    await replay.settled();
    const replayed = (
      (await replay.call("GET", "/v1/alerts?limit=500", replay.keys.admin)).body.alerts as {
        id: string;
      }[]
    )
      .map((a) => a.id)
      .sort();
    expect(replayed).toEqual(live);
    // Every alert was raised again, and the log's idempotent append kept each once.
    expect(await replay.data.ledger.treeSize("acme")).toBe(size);
    expect([...counts(raisedIds(await replay.log())).values()].every((n) => n === 1)).toBe(true);
  });
});

describe("back-testing", () => {
  it("names exactly the alerts live evaluation raised over the same period", async () => {
    const s = await server();
    const threshold = (await s.call("POST", "/v1/rules", s.keys.admin, THRESHOLD)).body.rule;
    const sequence = (await s.call("POST", "/v1/rules", s.keys.admin, SEQUENCE)).body.rule;
    const from = s.clock.ms;
    const t0 = from + 1000;
    for (const round of stream(t0, 9)) {
      s.clock.ms += 60_000;
      await s.ingest(round);
    }
    await s.settled();
    const to = iso(s.clock.ms + 3_600_000);
    for (const rule of [threshold, sequence]) {
      const live = (await s.call("GET", `/v1/alerts?rule=${rule.id}`, s.keys.admin)).body.alerts as Record<
        string,
        unknown
      >[];
      expect(live.length).toBeGreaterThanOrEqual(3);
      const back = await s.call("POST", `/v1/rules/${rule.id}/backtest?from=${iso(from)}&to=${to}`, s.keys.auditor);
      expect(back.status).toBe(200);
      expect(back.body.truncated).toBe(false);
      const raisedOf = (a: Record<string, unknown>) => ({
        id: a.id,
        matched_event_ids: a.matched_event_ids,
        group: a.group,
        occurred_at: a.occurred_at,
        message: a.message,
      });
      const byId = (x: { id: unknown }, y: { id: unknown }) => String(x.id).localeCompare(String(y.id));
      expect(back.body.alerts.map(raisedOf).sort(byId)).toEqual(live.map(raisedOf).sort(byId));
    }
    // The console's preview of an unsaved definition finds the same events (under its own preview id).
    const preview = await s.call("POST", `/v1/rules/backtest?from=${iso(from)}&to=${to}`, s.keys.admin, THRESHOLD);
    const live = (await s.call("GET", `/v1/alerts?rule=${threshold.id}`, s.keys.admin)).body.alerts;
    expect(preview.body.alerts.map((a: { matched_event_ids: string[] }) => a.matched_event_ids).sort()).toEqual(
      live.map((a: { matched_event_ids: string[] }) => a.matched_event_ids).sort(),
    );
    // A back-test reads events: the meta-audit records it as a search (its query kept as a personal value).
    const searches = (await s.log()).filter((e) => e.action === "audit.search");
    expect(searches.map((e) => e.metadata.route)).toEqual([
      "/v1/rules/:id/backtest",
      "/v1/rules/:id/backtest",
      "/v1/rules/backtest",
    ]);
    const bad = await s.call("POST", `/v1/rules/${threshold.id}/backtest?from=yesterday&to=${to}`, s.keys.admin);
    expect(bad.status).toBe(400);
    expect(bad.body.problems.map((p: { pointer: string }) => p.pointer)).toEqual(["/from"]);
  });
});
