// The no-code workspace simulator against the real service: one simulated
// day at a high rate, every event created, the planted patterns present.
import { TrailproofClient } from "@trailproof/client";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerSimulateCommand } from "../../apps/cli/src/commands/simulate.js";
import { simulateWorkspace } from "../../apps/cli/src/simulator/index.js";
import { countEvents, type SdkServer, searchIds, startSdkServer } from "./sdk-server.js";

let s: SdkServer;
beforeAll(async () => {
  s = await startSdkServer("simulated");
}, 30_000);
afterAll(async () => {
  await s?.stop();
});

const START = Date.UTC(2026, 5, 1);

describe("simulateWorkspace", () => {
  it("sends a simulated day that the service creates in full, with the planted sequences", async () => {
    const client = new TrailproofClient({ url: s.url, apiKey: s.ingestKey, flushIntervalMs: 50 });
    const started = Date.now();
    const summary = await simulateWorkspace({ client, days: 1, seed: 7, startMs: START, ratePerSecond: 2000 });
    await client.close();
    expect(Date.now() - started).toBeLessThan(30_000);
    const stats = client.stats();
    expect(summary.events).toBeGreaterThan(80);
    expect(stats).toMatchObject({ recorded: summary.events, acknowledged: summary.events, duplicates: 0, rejected: 0 });

    // Every kind of activity the issue names.
    for (const action of [
      "app.create",
      "app.page.update",
      "component.wire",
      "user.login",
      "user.logout",
      "workflow.run.start",
      "workflow.run.finish",
      "record.update",
      "policy.evaluate",
      "permission.grant",
      "permission.revoke",
      "record.export",
    ]) {
      expect(summary.actions[action], action).toBeGreaterThan(0);
    }
    expect(await countEvents(s, `from=2026-06-01T00:00:00Z&to=2026-06-02T00:00:00Z`)).toBe(summary.events);

    // Policy checks are decisions of version 2 with their phase, and every denial says how to pass.
    const governance = await s.get("/v1/governance?from=2026-06-01T00:00:00Z&to=2026-06-02T00:00:00Z&limit=200");
    expect(governance.status).toBe(200);
    const rows = governance.body.decisions.rows as { phase: string | null; policy_id: string; total: number }[];
    expect(rows.reduce((n, r) => n + r.total, 0)).toBe(summary.actions["policy.evaluate"]);
    expect(rows.filter((r) => !["build", "deploy", "runtime"].includes(r.phase ?? ""))).toEqual([]);
    expect(governance.body.denials.length).toBeGreaterThan(0);
    for (const denial of governance.body.denials as { remediation: string | null; rationale: string | null }[]) {
      expect(denial.remediation).toMatch(/\w/);
      expect(denial.rationale).toMatch(/^rule /);
    }

    // The override names the person's decision, with rationale and path.
    const override = await s.get(`/v1/events/${summary.marks.override}`);
    expect(override.body.event.automation).toMatchObject({
      origin: "rule",
      overrides: summary.marks.approval,
      decision_path: expect.arrayContaining(["rule_discount_limit"]),
    });
    expect(override.body.event.automation.rationale).toMatch(/finance approver/);

    // The suspicious sequence: grant, bulk export, revoke, by one actor from one unusual address, within minutes.
    const night = await searchIds(s, "actor_id=usr_linus&from=2026-06-01T23:00:00Z&to=2026-06-02T00:00:00Z&order=asc");
    expect(night).toEqual([
      summary.marks.suspiciousGrant,
      summary.marks.suspiciousExport,
      summary.marks.suspiciousRevoke,
    ]);
    const exported = await s.get(`/v1/events/${summary.marks.suspiciousExport}`, s.auditorKey);
    expect(exported.body.event).toMatchObject({
      action: "record.export",
      risk: "critical",
      context: { ip: "185.220.101.4" },
    });

    // Policy checks at build, deploy and runtime, with allow, warn and deny among them over a few seeds is
    // covered by the generator; here: secrets the builders typed never reached the log.
    const installs = await searchIds(s, "action=package.install");
    for (const id of installs.slice(0, 3)) {
      const detail = await s.get(`/v1/events/${id}`, s.auditorKey);
      expect(JSON.stringify(detail.body)).not.toContain("npm_secret_token");
    }
  }, 60_000);

  it("is deterministic for a seed: a second run is all duplicates", async () => {
    const client = new TrailproofClient({ url: s.url, apiKey: s.ingestKey, flushIntervalMs: 50 });
    const summary = await simulateWorkspace({ client, days: 1, seed: 7, startMs: START });
    await client.close();
    expect(client.stats()).toMatchObject({ acknowledged: summary.events, duplicates: summary.events, rejected: 0 });
  }, 60_000);

  it("runs as `trailproof simulate` and prints a summary", async () => {
    const program = new Command().exitOverride();
    registerSimulateCommand(program);
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const err = process.stderr.write.bind(process.stderr);
    process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      await program.parseAsync(
        [
          "simulate",
          "--url",
          s.url,
          "--key",
          s.ingestKey,
          "--days",
          "1",
          "--rate",
          "5000",
          "--seed",
          "9",
          "--start",
          "2026-07-01",
          "--json",
        ],
        { from: "user" },
      );
    } finally {
      process.stdout.write = write;
      process.stderr.write = err;
    }
    const summary = JSON.parse(out.join(""));
    expect(summary.delivery).toMatchObject({ acknowledged: summary.events, rejected: 0 });
    expect(summary.events).toBeGreaterThan(80);
  }, 60_000);
});
