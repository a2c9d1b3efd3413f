// Deterministic sample events from the built-in no-code taxonomy: builders
// editing apps, workflows mutating records, policy checks, logins. Used by
// `trailproof demo` and the benchmarks; a fuller simulator drives the SDK later.
import { seededRandom } from "@trailproof/core";

const BUILDERS = [
  { id: "usr_ada", name: "Ada Lovelace" },
  { id: "usr_grace", name: "Grace Hopper" },
  { id: "usr_linus", name: "Linus Builder" },
  { id: "usr_margaret", name: "Margaret Hamilton" },
];
const APPS = ["crm", "inventory", "onboarding", "helpdesk"];
const IPS = ["203.0.113.7", "198.51.100.23", "2001:db8::42", "192.0.2.99"];
const AGENTS = [
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0 Safari/537.36",
];

export interface SampleOptions {
  seed?: number;
  /** First occurred_at; events advance by a few seconds each. */
  startMs?: number;
  idPrefix?: string;
  /** Mean time between events (default 2.5 s). */
  meanGapMs?: number;
}

/** `count` sample events; about a third carry before/after states. */
export function sampleEvents(count: number, options: SampleOptions = {}): Record<string, unknown>[] {
  const rnd = seededRandom(options.seed ?? 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  let t = options.startMs ?? Date.UTC(2026, 10, 2, 8, 0, 0);
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    t += Math.floor(rnd() * 2 * (options.meanGapMs ?? 2500));
    const who = pick(BUILDERS);
    const app = pick(APPS);
    const context = {
      session_id: `ses_${who.id}_${Math.floor(i / 50)}`,
      request_id: `req_${i.toString(36)}`,
      ip: pick(IPS),
      user_agent: pick(AGENTS),
      environment: rnd() < 0.8 ? "production" : "staging",
      region: "eu-west-1",
    };
    const base = {
      id: `${options.idPrefix ?? "evt"}_${i}`,
      occurred_at: new Date(t).toISOString(),
      context,
      tags: [`module:${app === "crm" ? "builder" : "data"}`, `app:${app}`],
    };
    const shape = i % 6;
    if (shape === 0 || shape === 3) {
      const before = {
        title: `Page ${i}`,
        layout: "grid",
        components: Array.from({ length: 4 }, (_, k) => ({ id: `cmp_${k}`, type: "table", visible: true })),
      };
      const after = { ...before, layout: rnd() < 0.5 ? "stack" : "grid", title: `Page ${i} (edited)` };
      out.push({
        ...base,
        action: "app.page.update",
        actor: { type: "user", ...who },
        target: { type: "page", id: `page_${i % 40}`, name: `Page ${i % 40}`, path: [`workspace:acme`, `app:${app}`] },
        message: `${who.name.split(" ")[0]} edited a page layout`,
        change: { before, after },
      });
    } else if (shape === 1) {
      // Every third of these starts a scheduled run of the contact sync,
      // the next updates a record in it, the next finishes it (some fail).
      const k = (i - 1) / 6;
      const runNo = Math.floor(k / 3);
      const run = `run_${runNo}`;
      const startId = `${base.id.slice(0, base.id.lastIndexOf("_"))}_${runNo * 18 + 1}`;
      const automation = {
        origin: "schedule" as const,
        workflow_id: "wf_sync_contacts",
        workflow_version: "7",
        run_id: run,
        trigger_id: "trg_hourly",
      };
      const actor = { type: "automation", id: "wf_sync_contacts" };
      const phase = k % 3;
      if (phase === 0) {
        out.push({
          ...base,
          action: "workflow.run.start",
          actor,
          target: { type: "workflow", id: "wf_sync_contacts" },
          automation,
        });
      } else if (phase === 1) {
        out.push({
          ...base,
          action: "record.update",
          actor,
          target: { type: "record", id: `rec_${i % 500}`, path: ["workspace:acme", `app:${app}`, "table:contacts"] },
          automation: { ...automation, step: "update_contact", caused_by: startId },
          change: {
            before: { status: "lead", score: Math.floor(rnd() * 100) },
            after: { status: "customer", score: Math.floor(rnd() * 100) },
          },
        });
      } else {
        out.push({
          ...base,
          action: "workflow.run.finish",
          actor,
          target: { type: "workflow", id: "wf_sync_contacts" },
          outcome: rnd() < 0.9 ? { status: "success" } : { status: "failure", reason: "integration.timeout" },
          automation: { ...automation, caused_by: startId },
        });
      }
    } else if (shape === 2) {
      out.push({
        ...base,
        action: "policy.evaluate",
        actor: { type: "system", id: "policy-engine" },
        target: { type: "app", id: `app_${app}`, name: app },
        outcome: { status: rnd() < 0.9 ? "success" : "denied", reason: "policy.deploy_requires_review" },
        metadata: { policy_id: "pol_deploy_review", decision: rnd() < 0.9 ? "allow" : "deny", stage: "deploy" },
      });
    } else if (shape === 4) {
      out.push({
        ...base,
        action: "user.login",
        actor: { type: "user", ...who },
        target: { type: "workspace", id: "acme" },
        outcome: { status: rnd() < 0.95 ? "success" : "failure" },
        metadata: { method: "password+totp" },
      });
    } else {
      out.push({
        ...base,
        action: "component.wire",
        actor: { type: "user", ...who },
        target: {
          type: "component",
          id: `cmp_${i % 90}`,
          path: [`workspace:acme`, `app:${app}`, `page:page_${i % 40}`],
        },
        metadata: { source: `cmp_${i % 90}`, event: "onClick", handler: "workflow:wf_sync_contacts" },
      });
    }
  }
  return out;
}
