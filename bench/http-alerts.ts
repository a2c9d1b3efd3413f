// Alert rules over HTTP ingest: does evaluation keep up? One service; the
// same live-shaped load (occurred_at = send time, batches of 100) first with
// no rules, then with 20 rules of the four types active. Evaluation follows
// the log (never the ingest path), so its figure is the entries it evaluated
// per second from the load's start until its lag reached 0, set against the
// ingest rate of the same load: 1.0 means it kept up. Alert latency is from
// an event's occurred_at (its send time here) to the commit of the alert it
// completed, for threshold and sequence alerts (spike and absence alerts are
// dated by their bucket or deadline, not by an event).
import { mkdirSync } from "node:fs";
import { Agent } from "node:http";
import { join } from "node:path";
import type { RuleDefinition, RuleGroupField, WireAlert } from "@trailproof/protocol";
import { liveIngestBodies, liveIngestLoad, tenantKeysOn, waitForFollowers } from "./http-ingest.js";
import { httpCall, type LoadResult, runLoad } from "./http-load.js";
import { callServer } from "./server-call.js";
import { type ServerChild, startServerChild } from "./server-child.js";
import { type LatencySummary, progress, summarise } from "./stats.js";

export interface HttpAlertsOptions {
  logLevel: string;
  seconds: number;
  clients: number;
  maxEvents: number;
}

export interface HttpAlertsRun {
  rules: number;
  /** The load with no rule. */
  without: LoadResult;
  /** The same load with every rule active. */
  with: LoadResult;
  evaluation: {
    entries: number;
    /** From the load's start until the alerts follower's lag was 0. */
    seconds: number;
    entriesPerSecond: number;
    /** The largest lag sampled during the load (every 250 ms). */
    maxLagEntries: number;
    /** After the load ended, until the lag was 0. */
    catchUpSeconds: number;
  };
  alerts: { raised: number; byType: Record<string, number>; latency: LatencySummary | null };
}

const TENANT = "bench-alerts";

/** Twenty rules over the simulator's mix (apps/server/src/demo/sample-events.ts). */
export function benchRules(): RuleDefinition[] {
  const rule = (name: string, condition: RuleDefinition["condition"]): RuleDefinition => ({
    name,
    severity: "medium",
    condition,
  });
  const threshold = (query: string, count: number, groupBy?: RuleGroupField[]): RuleDefinition["condition"] => ({
    type: "threshold",
    query,
    count,
    window_seconds: 60,
    ...(groupBy ? { group_by: groupBy } : {}),
  });
  // Thresholds set to fire now and then at the bench's rate (a few people, one workflow, a few
  // thousand events a second); sequences on the rarer combinations, as a security team writes them.
  return [
    rule("page edits per person", threshold("action:app.page.update", 3000, ["actor"])),
    rule("page edits per page", threshold("action:app.page.update", 1000, ["target"])),
    rule("logins per IP", threshold("action:user.login", 5000, ["ip"])),
    rule("failed logins", threshold("action:user.login outcome:failure", 100, ["actor"])),
    rule("denied policies", threshold("action:policy.evaluate outcome:denied", 1500)),
    rule("wiring per component", threshold("action:component.wire", 200, ["target"])),
    rule("record updates per workflow", threshold("action:record.update", 5000, ["workflow"])),
    rule("production changes", threshold("env:production kind:update", 50_000)),
    rule("export spike", {
      type: "spike",
      query: "action:record.export",
      bucket_seconds: 300,
      baseline: "previous_buckets",
      baseline_periods: 3,
      factor: 3,
      min_count: 50,
    }),
    rule("login spike", {
      type: "spike",
      query: "action:user.login",
      bucket_seconds: 300,
      baseline: "previous_buckets",
      baseline_periods: 3,
      factor: 3,
      min_count: 5000,
    }),
    rule("denial spike per app", {
      type: "spike",
      query: "outcome:denied",
      bucket_seconds: 300,
      baseline: "previous_buckets",
      baseline_periods: 3,
      factor: 4,
      min_count: 3000,
      group_by: ["target"],
    }),
    rule("edit spike", {
      type: "spike",
      query: "action:app.page.update",
      bucket_seconds: 900,
      baseline: "same_hour_of_day",
      baseline_periods: 7,
      factor: 5,
      min_count: 50_000,
    }),
    rule("staging: failed login, edit, wire", {
      type: "sequence",
      by: "actor",
      within_seconds: 30,
      steps: [
        { query: "action:user.login outcome:failure env:staging" },
        { query: "action:app.page.update env:staging" },
        { query: "action:component.wire env:staging" },
      ],
    }),
    rule("staging run failed after an update", {
      type: "sequence",
      by: "run",
      within_seconds: 120,
      steps: [
        { query: "action:workflow.run.start env:staging" },
        { query: "action:record.update" },
        { query: "action:workflow.run.finish outcome:failure" },
      ],
    }),
    rule("failed login then export", {
      type: "sequence",
      by: "actor",
      within_seconds: 300,
      steps: [{ query: "action:user.login outcome:failure" }, { query: "action:record.export" }],
    }),
    rule("run not finished", {
      type: "sequence",
      by: "run",
      within_seconds: 60,
      steps: [{ query: "action:workflow.run.start" }, { query: "action:record.update" }],
      not_followed_by: [{ query: "action:workflow.run.finish" }],
    }),
    rule("logins went silent", { type: "absence", query: "action:user.login", silence_seconds: 60 }),
    rule("sync runs every minute", {
      type: "absence",
      query: "action:workflow.run.finish workflow:wf_sync_contacts",
      schedule: "* * * * *",
      grace_seconds: 30,
    }),
    rule("each workflow keeps running", {
      type: "absence",
      query: "action:workflow.run.start",
      silence_seconds: 300,
      group_by: ["workflow"],
    }),
    rule("policy engine silent", { type: "absence", query: "action:policy.evaluate", silence_seconds: 120 }),
  ];
}

async function alertsLag(server: ServerChild): Promise<number> {
  const agent = new Agent();
  try {
    const res = await httpCall(agent, `${server.url}/metrics`, { method: "GET", key: server.operatorKey as string });
    const lags = [...res.body.matchAll(/^trailproof_follower_lag_entries\{[^}]*follower="alerts"[^}]*\} (\d+)/gm)];
    return lags.reduce((sum, m) => sum + Number(m[1]), 0);
  } finally {
    agent.destroy();
  }
}

export async function runHttpAlerts(dir: string, o: HttpAlertsOptions): Promise<HttpAlertsRun> {
  const dataDir = join(dir, "alerts-data");
  mkdirSync(dataDir, { recursive: true });
  const server = await startServerChild({ dataDir, logLevel: o.logLevel });
  try {
    const { adminKey, ingestKey } = await tenantKeysOn(server, TENANT);
    const load = (tag: string) => liveIngestLoad(server, ingestKey, o, tag);
    await runLoad({
      url: `${server.url}/v1/events`,
      key: ingestKey,
      clients: o.clients,
      durationMs: 1000,
      maxRequests: 50,
      eventsPerRequest: 100,
      body: liveIngestBodies(100, "w"),
    });
    await waitForFollowers(server);
    progress("  without rules ...");
    const without = await load("n");
    await waitForFollowers(server);
    const rules = benchRules();
    for (const r of rules) await callServer(server, adminKey, "POST", "/v1/rules", r);
    await waitForFollowers(server);
    progress(`  with ${rules.length} rules ...`);
    let maxLag = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        maxLag = Math.max(maxLag, await alertsLag(server));
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    const t0 = performance.now();
    const withRules = await load("r");
    const loadEnd = performance.now();
    sampling = false;
    await sampler;
    while ((await alertsLag(server)) > 0) await new Promise((r) => setTimeout(r, 50));
    const caughtUp = performance.now();
    const seconds = (caughtUp - t0) / 1000;
    const listed = (await callServer(server, adminKey, "GET", "/v1/alerts?limit=500")).alerts as WireAlert[];
    const byType: Record<string, number> = {};
    for (const a of listed) byType[a.type] = (byType[a.type] ?? 0) + 1;
    const dated = listed.filter(
      (a) => a.type === "threshold" || (a.type === "sequence" && !a.message.includes("not followed")),
    );
    const latencies = dated.map((a) => Date.parse(a.raised_at) - Date.parse(a.occurred_at));
    return {
      rules: rules.length,
      without,
      with: withRules,
      evaluation: {
        entries: withRules.events,
        seconds,
        entriesPerSecond: withRules.events / seconds,
        maxLagEntries: maxLag,
        catchUpSeconds: (caughtUp - loadEnd) / 1000,
      },
      alerts: { raised: listed.length, byType, latency: latencies.length === 0 ? null : summarise(latencies) },
    };
  } finally {
    await server.close();
  }
}
