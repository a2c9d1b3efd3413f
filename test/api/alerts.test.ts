// Alert rules over real HTTP with a real server (docs/alerts.md): each rule
// type raising from events ingested through POST /v1/events, the rule and
// alert API (validation, versions, lifecycle, roles), and alerts that name
// pseudonyms, never the person.
import { issueApiKey } from "@trailproof/ledger";
import { describe, expect, it } from "vitest";
import { type AlertServer, alertServers, exportBy, grantSelf, iso, raisedIds, uid } from "./alerts-fixture.js";

const { server } = alertServers();

function denied(actor: string, atMs: number) {
  return {
    id: uid("deny"),
    action: "permission.grant",
    occurred_at: iso(atMs),
    actor: { type: "user", id: actor },
    target: { type: "app", id: "app_payroll" },
    outcome: { status: "denied", reason: "not_allowed" },
    metadata: { permission: "admin" },
  };
}

const THRESHOLD = {
  name: "Denied permission changes",
  severity: "high",
  condition: {
    type: "threshold",
    query: "outcome:denied action:permission.*",
    count: 10,
    window_seconds: 300,
    group_by: ["actor"],
  },
};

describe("threshold rules", () => {
  it("raise once when one actor is denied 10 permission changes in 5 minutes, naming a pseudonym", async () => {
    const s = await server();
    const created = await s.call("POST", "/v1/rules", s.keys.admin, THRESHOLD);
    expect(created.status).toBe(201);
    const rule = created.body.rule;
    expect(rule).toMatchObject({ version: 1, deleted: false, definition: { ...THRESHOLD, enabled: true } });
    expect(rule.id).toMatch(/^rul_/);
    s.clock.ms += 1000;
    const t0 = s.clock.ms;
    // Nine by bob (one short), ten by mallory within 5 minutes, one more by mallory much later.
    await s.ingest(Array.from({ length: 9 }, (_, i) => denied("usr_bob", t0 + i * 1000)));
    const mallory = Array.from({ length: 10 }, (_, i) => denied("usr_mallory", t0 + i * 20_000));
    await s.ingest(mallory);
    await s.settled();

    const listed = await s.call("GET", "/v1/alerts", s.keys.auditor);
    expect(listed.status).toBe(200);
    expect(listed.body.alerts).toHaveLength(1);
    const alert = listed.body.alerts[0];
    expect(alert).toMatchObject({
      rule_id: rule.id,
      rule_version: 1,
      type: "threshold",
      severity: "high",
      status: "open",
      matched_event_ids: mallory.map((e) => e.id),
    });
    expect(alert.group).toMatch(/^actor=/);
    expect(JSON.stringify(alert)).not.toContain("mallory");
    // The alert is an event in the log, appended by the service, with the rule's version and matched ids.
    const raise = (await s.log()).find((e) => e.action === "alert.raise");
    expect(raise).toMatchObject({
      id: alert.id,
      actor: { type: "system", id: "alerts" },
      appended_by: { type: "service", id: "alerts" },
      target: { type: "alert_rule", id: rule.id, name: THRESHOLD.name },
      metadata: { alert_id: alert.id, rule_id: rule.id, rule_version: 1, rule_type: "threshold", channel_ids: [] },
    });
    expect(JSON.stringify(raise)).not.toContain("mallory");
    expect((await s.call("GET", `/v1/alerts/${alert.id}`, s.keys.admin)).body.alert.log_index).toBe(alert.log_index);
    // The follower's lag is in /metrics, caught up.
    const operator = await issueApiKey(s.data.access, { tenantId: null, role: "operator", name: "op", createdBy: "t" });
    const metrics = await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${operator.key}` } });
    expect(await metrics.text()).toMatch(/^trailproof_follower_lag_entries\{follower="alerts"\} 0$/m);
  });

  it("takes effect at its rule.create entry, and a change at its rule.update entry", async () => {
    const s = await server();
    const t0 = s.clock.ms;
    // Before the rule existed: no alert, whatever the count.
    await s.ingest(Array.from({ length: 12 }, (_, i) => denied("usr_eve", t0 + i * 1000)));
    const rule = (await s.call("POST", "/v1/rules", s.keys.admin, THRESHOLD)).body.rule;
    await s.settled();
    expect((await s.call("GET", "/v1/alerts", s.keys.admin)).body.alerts).toEqual([]);
    // Version 2 needs only 3.
    const changed = await s.call("PUT", `/v1/rules/${rule.id}`, s.keys.admin, {
      ...THRESHOLD,
      condition: { ...THRESHOLD.condition, count: 3 },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.rule).toMatchObject({ id: rule.id, version: 2 });
    expect(changed.body.rule.log_index).toBeGreaterThan(rule.log_index);
    await s.ingest(Array.from({ length: 3 }, (_, i) => denied("usr_eve", t0 + 60_000 + i * 1000)));
    await s.settled();
    const alerts = (await s.call("GET", `/v1/alerts?rule=${rule.id}`, s.keys.admin)).body.alerts;
    expect(alerts.map((a: { rule_version: number }) => a.rule_version)).toEqual([2]);
    // Disabled (version 3): nothing counted; deleted (version 4): nothing more, and no change after.
    await s.call("PUT", `/v1/rules/${rule.id}`, s.keys.admin, {
      ...THRESHOLD,
      enabled: false,
      condition: { ...THRESHOLD.condition, count: 3 },
    });
    await s.ingest(Array.from({ length: 4 }, (_, i) => denied("usr_eve", t0 + 90_000 + i * 1000)));
    await s.settled();
    expect((await s.call("GET", "/v1/alerts", s.keys.admin)).body.alerts).toHaveLength(1);
    expect((await s.call("DELETE", `/v1/rules/${rule.id}`, s.keys.admin)).body.rule).toMatchObject({
      version: 4,
      deleted: true,
    });
    const late = await s.call("PUT", `/v1/rules/${rule.id}`, s.keys.admin, THRESHOLD);
    expect([late.status, late.body.code]).toEqual([409, "RULE_DELETED"]);
    await s.ingest(Array.from({ length: 6 }, (_, i) => denied("usr_eve", t0 + 120_000 + i * 1000)));
    await s.settled();
    expect((await s.call("GET", "/v1/alerts", s.keys.admin)).body.alerts).toHaveLength(1);
    const versions = (await s.call("GET", `/v1/rules/${rule.id}/versions`, s.keys.auditor)).body.versions;
    expect(versions.map((v: { version: number; deleted: boolean }) => [v.version, v.deleted])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
    ]);
    expect((await s.call("GET", "/v1/rules", s.keys.admin)).body.rules).toEqual([]);
    // Each change is in the log with the whole definition.
    const changes = (await s.log()).filter((e) => String(e.action).startsWith("rule."));
    expect(changes.map((e) => [e.action, e.metadata.rule_version])).toEqual([
      ["rule.create", 1],
      ["rule.update", 2],
      ["rule.update", 3],
      ["rule.delete", 4],
    ]);
    expect(changes[1]?.change.before.condition.count).toBe(10);
    expect(changes[1]?.change.after.condition.count).toBe(3);
    expect(changes[3]?.change.before.enabled).toBe(false);
    expect(changes[3]?.change.after).toBeUndefined();
  });
});

describe("rules grouped by IP", () => {
  it("count per address, opened from the entry's sealed context, and name only its pseudonym", async () => {
    const s = await server();
    await s.call("POST", "/v1/rules", s.keys.admin, {
      name: "Denials from one address",
      severity: "medium",
      condition: { type: "threshold", query: "outcome:denied", count: 3, window_seconds: 300, group_by: ["ip"] },
    });
    const t0 = s.clock.ms + 1000;
    const from = (ip: string, i: number) => ({ ...denied(`usr_${i}`, t0 + i * 1000), context: { ip } });
    // Three different actors from one address; two from another.
    await s.ingest([from("198.51.100.7", 0), from("203.0.113.9", 1), from("198.51.100.7", 2), from("198.51.100.7", 3)]);
    await s.ingest([from("203.0.113.9", 4)]);
    await s.settled();
    const alerts = (await s.call("GET", "/v1/alerts", s.keys.admin)).body.alerts;
    expect(alerts).toHaveLength(1);
    expect(alerts[0].group).toMatch(/^ip=/);
    expect(JSON.stringify(alerts[0])).not.toContain("198.51.100.7");
    expect(JSON.stringify((await s.log()).filter((e) => e.action === "alert.raise"))).not.toContain("198.51.100.7");
  });
});

describe("spike rules", () => {
  it("learn their baseline from the history before them and raise once the bucket passes it", async () => {
    const s = await server();
    const BUCKET = 300_000;
    const bucket = Math.floor(s.clock.ms / BUCKET) * BUCKET + 3 * BUCKET;
    s.clock.ms = bucket + 1000;
    const exp = (atMs: number) => ({
      id: uid("exp"),
      action: "record.export",
      occurred_at: iso(atMs),
      actor: { type: "user", id: "usr_ada" },
      target: { type: "table", id: "tbl_customers" },
    });
    // Four exports in each of the three buckets before: a baseline of 4.
    const history = [1, 2, 3].flatMap((k) => Array.from({ length: 4 }, (_, i) => exp(bucket - k * BUCKET + i * 1000)));
    await s.ingest(history);
    const rule = (
      await s.call("POST", "/v1/rules", s.keys.admin, {
        name: "Export spike",
        severity: "medium",
        condition: {
          type: "spike",
          query: "action:record.export",
          bucket_seconds: 300,
          baseline: "previous_buckets",
          baseline_periods: 3,
          factor: 3,
          min_count: 5,
        },
      })
    ).body.rule;
    // Eight in this bucket: above min_count, not above 3 × 4 (it would be against an empty baseline).
    await s.ingest(Array.from({ length: 8 }, (_, i) => exp(bucket + 2000 + i * 100)));
    await s.settled();
    expect((await s.call("GET", "/v1/alerts", s.keys.admin)).body.alerts).toEqual([]);
    // Five more: 13 > 12.
    await s.ingest(Array.from({ length: 5 }, (_, i) => exp(bucket + 5000 + i * 100)));
    await s.settled();
    const alerts = (await s.call("GET", "/v1/alerts", s.keys.admin)).body.alerts;
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ rule_id: rule.id, type: "spike", window_start: iso(bucket) });
    expect(alerts[0].matched_event_ids).toHaveLength(13);
  });
});

describe("sequence rules", () => {
  const revoke = (actor: string, atMs: number) => ({
    id: uid("revoke"),
    action: "permission.revoke",
    occurred_at: iso(atMs),
    actor: { type: "user", id: actor },
    target: { type: "user", id: actor },
    metadata: { permission: "admin" },
  });

  it("raise when one actor grants itself, exports and revokes in order within the limit", async () => {
    const s = await server();
    const rule = (
      await s.call("POST", "/v1/rules", s.keys.admin, {
        name: "Grant, export, revoke",
        severity: "critical",
        condition: {
          type: "sequence",
          by: "actor",
          within_seconds: 3600,
          steps: [
            { query: "action:permission.grant", self: true },
            { query: "action:record.export" },
            { query: "action:permission.revoke" },
          ],
        },
      })
    ).body.rule;
    const t0 = s.clock.ms + 1000;
    const trudy = [grantSelf("usr_trudy", t0), exportBy("usr_trudy", t0 + 60_000), revoke("usr_trudy", t0 + 120_000)];
    // Victor's grant is to someone else; walter's steps are out of order.
    const others = [
      { ...grantSelf("usr_victor", t0), target: { type: "user", id: "usr_other" } },
      exportBy("usr_victor", t0 + 1000),
      revoke("usr_victor", t0 + 2000),
      exportBy("usr_walter", t0),
      grantSelf("usr_walter", t0 + 1000),
      revoke("usr_walter", t0 + 2000),
    ];
    await s.ingest([...others, ...trudy]);
    await s.settled();
    const alerts = (await s.call("GET", "/v1/alerts", s.keys.admin)).body.alerts;
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ rule_id: rule.id, type: "sequence", matched_event_ids: trudy.map((e) => e.id) });
  });

  it("with not_followed_by, raise once the limit passed without the closing step (on the tick)", async () => {
    const s = await server();
    await s.call("POST", "/v1/rules", s.keys.admin, {
      name: "Grant and export, never revoked",
      severity: "high",
      condition: {
        type: "sequence",
        by: "actor",
        within_seconds: 600,
        steps: [{ query: "action:permission.grant", self: true }, { query: "action:record.export" }],
        not_followed_by: [{ query: "action:permission.revoke" }],
      },
    });
    const t0 = s.clock.ms + 1000;
    s.clock.ms = t0;
    const kept = [grantSelf("usr_trudy", t0), exportBy("usr_trudy", t0 + 1000)];
    const closed = [grantSelf("usr_alice", t0), exportBy("usr_alice", t0 + 1000), revoke("usr_alice", t0 + 2000)];
    await s.ingest([...kept, ...closed]);
    await s.settled();
    expect((await s.call("GET", "/v1/alerts", s.keys.admin)).body.alerts).toEqual([]);
    // The log goes quiet; the clock passes the limit: the tick judges it.
    s.clock.ms = t0 + 700_000;
    const alerts = await eventuallyAlerts(s, 1);
    expect(alerts[0]).toMatchObject({ type: "sequence", matched_event_ids: kept.map((e) => e.id) });
  });
});

describe("absence rules", () => {
  it("raise for the nightly run whose workflow.run.finish is missing, once its grace passed", async () => {
    const s = await server();
    const DAY = 86_400_000;
    const midnight = Math.ceil(s.clock.ms / DAY) * DAY;
    s.clock.ms = midnight;
    const rule = (
      await s.call("POST", "/v1/rules", s.keys.admin, {
        name: "Nightly backup finished",
        severity: "high",
        condition: {
          type: "absence",
          query: "action:workflow.run.finish workflow:wf_nightly",
          schedule: "0 2 * * *",
          timezone: "UTC",
          grace_seconds: 3600,
        },
      })
    ).body.rule;
    const finish = (atMs: number) => ({
      id: uid("finish"),
      action: "workflow.run.finish",
      occurred_at: iso(atMs),
      actor: { type: "automation", id: "wf_nightly" },
      target: { type: "workflow", id: "wf_nightly" },
      automation: { origin: "workflow", workflow_id: "wf_nightly", run_id: uid("run") },
      outcome: { status: "success" },
    });
    // Night 1 at 02:10, night 2 missing, night 3 at 02:05.
    s.clock.ms = midnight + 2 * 3_600_000 + 600_000;
    await s.ingest([finish(s.clock.ms)]);
    s.clock.ms = midnight + DAY + 4 * 3_600_000;
    const alerts = await eventuallyAlerts(s, 1);
    expect(alerts[0]).toMatchObject({
      rule_id: rule.id,
      type: "absence",
      matched_event_ids: [],
      occurred_at: iso(midnight + DAY + 3 * 3_600_000),
    });
    s.clock.ms = midnight + 2 * DAY + 2 * 3_600_000 + 300_000;
    await s.ingest([finish(s.clock.ms)]);
    s.clock.ms = midnight + 2 * DAY + 5 * 3_600_000;
    await new Promise((r) => setTimeout(r, 300));
    await s.settled();
    expect((await s.call("GET", "/v1/alerts", s.keys.admin)).body.alerts).toHaveLength(1);
    expect(raisedIds(await s.log())).toEqual([alerts[0].id]);
  });
});

describe("the rule and alert API", () => {
  it("refuses a bad rule with every problem listed, and changes nothing", async () => {
    const s = await server();
    const res = await s.call("POST", "/v1/rules", s.keys.admin, {
      name: "bad",
      severity: "low",
      condition: {
        type: "sequence",
        by: "actor",
        within_seconds: 60,
        steps: [{ query: "action:record.export" }, { query: "action:(" }, { query: "nosuchfield:x" }],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("RULE_INVALID");
    const pointers = res.body.problems.map((p: { pointer: string }) => p.pointer);
    expect(pointers).toContain("/condition/steps/1/query");
    expect(pointers).toContain("/condition/steps/2/query");
    expect(pointers).not.toContain("/condition/steps/0/query");
    const cron = await s.call("POST", "/v1/rules", s.keys.admin, {
      name: "bad cron",
      severity: "low",
      condition: { type: "absence", query: "action:x.y", schedule: "61 * * * * *", timezone: "Mars/Olympus" },
    });
    expect(cron.status).toBe(400);
    expect(cron.body.problems.map((p: { pointer: string }) => p.pointer).sort()).toEqual([
      "/condition/schedule",
      "/condition/timezone",
    ]);
    expect((await s.call("GET", "/v1/rules", s.keys.admin)).body.rules).toEqual([]);
    expect((await s.log()).filter((e) => String(e.action).startsWith("rule."))).toEqual([]);
  });

  it("lets admins change rules and alerts, auditors read them, and no one else", async () => {
    const s = await server();
    expect((await s.call("POST", "/v1/rules", s.keys.auditor, THRESHOLD)).status).toBe(403);
    expect((await s.call("GET", "/v1/rules", s.keys.viewer)).status).toBe(403);
    expect((await s.call("GET", "/v1/alerts", s.keys.viewer)).status).toBe(403);
    expect((await s.call("GET", "/v1/rules/rul_nope", s.keys.admin)).body.code).toBe("RULE_NOT_FOUND");
    expect((await s.call("GET", "/v1/alerts/alr_nope", s.keys.admin)).body.code).toBe("ALERT_NOT_FOUND");
    await s.call("POST", "/v1/rules", s.keys.admin, {
      ...THRESHOLD,
      channels: ["chn_ops"],
      condition: { ...THRESHOLD.condition, count: 2 },
    });
    await s.ingest([denied("usr_a", s.clock.ms), denied("usr_a", s.clock.ms + 1)]);
    await s.settled();
    const [alert] = (await s.call("GET", "/v1/alerts?status=open", s.keys.auditor)).body.alerts;
    // The notifier delivers alert.raise to the rule's channels: they are in the event.
    const raise = (await s.log()).find((e) => e.action === "alert.raise");
    expect(raise?.metadata.channel_ids).toEqual(["chn_ops"]);
    expect((await s.call("POST", `/v1/alerts/${alert.id}/acknowledge`, s.keys.auditor)).status).toBe(403);
    const ack = await s.call("POST", `/v1/alerts/${alert.id}/acknowledge`, s.keys.admin);
    expect(ack.status).toBe(200);
    expect(ack.body.alert).toMatchObject({ status: "acknowledged", acknowledged_at: expect.any(String) });
    expect((await s.call("POST", `/v1/alerts/${alert.id}/acknowledge`, s.keys.admin)).body.code).toBe(
      "ALERT_TRANSITION_INVALID",
    );
    const resolved = await s.call("POST", `/v1/alerts/${alert.id}/resolve`, s.keys.admin, { note: "drill" });
    expect(resolved.body.alert).toMatchObject({ status: "resolved", resolution_note: "drill" });
    // The note is a personal value: sealed beside the leaf (erasable), not in it, and not copied into the alert's row.
    const resolveEvent = (await s.log()).find((e) => e.action === "alert.resolve");
    expect(JSON.stringify(resolveEvent)).not.toContain("drill");
    const tenantId = (await s.data.ledger.tenantRecord("acme")).tenantId;
    expect(JSON.stringify(await s.data.rules.findAlert(tenantId, alert.id))).not.toContain("drill");
    expect((await s.call("POST", `/v1/alerts/${alert.id}/resolve`, s.keys.admin, {})).status).toBe(409);
    expect((await s.call("GET", "/v1/alerts?status=open", s.keys.admin)).body.alerts).toEqual([]);
    const steps = (await s.log()).filter((e) => e.action === "alert.acknowledge" || e.action === "alert.resolve");
    expect(steps.map((e) => [e.action, e.target.id, e.metadata.rule_id])).toEqual([
      ["alert.acknowledge", alert.id, alert.rule_id],
      ["alert.resolve", alert.id, alert.rule_id],
    ]);
  });
});

async function eventuallyAlerts(s: AlertServer, n: number) {
  const until = Date.now() + 10_000;
  for (;;) {
    await s.settled();
    const alerts = (await s.call("GET", "/v1/alerts", s.keys.admin)).body.alerts;
    if (alerts.length >= n) return alerts;
    if (Date.now() > until) throw new Error(`expected ${n} alerts, have ${alerts.length}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
