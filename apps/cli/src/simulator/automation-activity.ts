// Automations of the simulated workspace, attributed with withAutomation():
// scheduled, webhook and integration runs that mutate records (some fail and
// are retried), a workflow a person's edit sets off, and a rule that
// overrides a person's decision with its rationale and decision path.
import { events, type Target } from "@trailproof/client";
import { withAutomation, withStep } from "@trailproof/client/node";
import type { AutomationOrigin } from "@trailproof/core";
import { policyCheck } from "./builder-activity.js";
import type { SimContext } from "./sim-context.js";
import { APPS, AUTOMATION_ACCOUNT, WORKFLOWS, WORKSPACE } from "./workspace-cast.js";

const SECOND = 1000;

interface RunSpec {
  origin: AutomationOrigin;
  workflow: { id: string; version: string; trigger?: string; rule?: string };
  /** What set the run off, when it was recorded. */
  causedBy?: string;
  attempt?: number;
  /** Records the run updates (ids), and whether the run fails part-way. */
  records: string[];
  fails?: boolean;
}

function workflowTarget(id: string): Target {
  return { type: "workflow", id, name: id.slice(3), path: [`workspace:${WORKSPACE}`] };
}

/** One run: start, one step per record (each a record change), finish. Returns the run's start event id. */
export async function runWorkflow(ctx: SimContext, spec: RunSpec, startMs: number): Promise<string> {
  const runId = ctx.nextId("run");
  const options = {
    origin: spec.origin,
    workflowId: spec.workflow.id,
    workflowVersion: spec.workflow.version,
    runId,
    serviceAccount: AUTOMATION_ACCOUNT,
    ...(spec.workflow.trigger ? { triggerId: spec.workflow.trigger } : {}),
    ...(spec.workflow.rule ? { ruleId: spec.workflow.rule } : {}),
    ...(spec.causedBy ? { causedBy: spec.causedBy } : {}),
  };
  return withAutomation(options, async () => {
    let t = startMs;
    const start = await ctx.emit(
      events.workflowRunStarted({
        target: workflowTarget(spec.workflow.id),
        metadata: { trigger: spec.origin, attempt: spec.attempt ?? 1 },
      }),
      t,
    );
    let done = 0;
    for (const recordId of spec.records) {
      if (spec.fails && done === Math.floor(spec.records.length / 2)) break;
      t += ctx.rnd.int(1, 20) * SECOND;
      await withStep(`update_${done}`, async () => {
        const before = ctx.states.get(recordId) ?? { status: "open" };
        await ctx.emitChange(
          recordId,
          {
            action: ctx.states.has(recordId) ? "record.update" : "record.create",
            target: { type: "record", id: recordId, path: [`workspace:${WORKSPACE}`, "app:app_crm", "table:contacts"] },
            metadata: { table: "contacts", record_id: recordId, changed_fields: ["score", "synced_at"] },
            tags: ["module:automation"],
            after: { ...before, score: ctx.rnd.int(0, 100), synced_at: new Date(t).toISOString() },
          },
          t,
        );
      });
      done++;
    }
    t += ctx.rnd.int(2, 30) * SECOND;
    await ctx.emit(
      events.workflowRunFinished({
        target: workflowTarget(spec.workflow.id),
        outcome: spec.fails ? { status: "failure", reason: "step.timeout" } : { status: "success" },
        metadata: {
          duration_ms: t - startMs,
          steps_executed: done,
          error_code: spec.fails ? "UPSTREAM_TIMEOUT" : null,
        },
      }),
      t,
    );
    return start;
  });
}

const contacts = (ctx: SimContext, n: number) =>
  Array.from({ length: n }, () => `rec_contacts_${ctx.rnd.int(1, 40)}`).filter((id, i, all) => all.indexOf(id) === i);

/** The nightly sync: a scheduled run; when it fails it is retried once as attempt 2. */
export async function nightlySync(ctx: SimContext, startMs: number): Promise<void> {
  const fails = ctx.rnd.chance(0.25);
  const records = contacts(ctx, ctx.rnd.int(3, 6));
  await runWorkflow(ctx, { origin: "schedule", workflow: WORKFLOWS.nightlySync, records, fails }, startMs);
  if (fails) {
    await runWorkflow(
      ctx,
      { origin: "schedule", workflow: WORKFLOWS.nightlySync, records, attempt: 2 },
      startMs + 15 * 60 * SECOND,
    );
  }
}

export async function orderWebhook(ctx: SimContext, startMs: number): Promise<void> {
  const records = [`rec_orders_${ctx.nextId("order")}`];
  await runWorkflow(
    ctx,
    { origin: "webhook", workflow: WORKFLOWS.orderWebhook, records, fails: ctx.rnd.chance(0.1) },
    startMs,
  );
}

/** An integration import whose runtime policy check may deny it. */
export async function hubspotImport(ctx: SimContext, startMs: number): Promise<void> {
  const target = workflowTarget(WORKFLOWS.hubspotImport.id);
  const decision = await policyCheck(
    ctx,
    { id: "pol_export_limit", stage: "runtime", rules: ["max_rows_10000"] },
    target,
    startMs,
    0.1,
  );
  if (decision === "deny") return;
  await runWorkflow(
    ctx,
    { origin: "integration", workflow: WORKFLOWS.hubspotImport, records: contacts(ctx, ctx.rnd.int(2, 5)) },
    startMs + SECOND,
  );
}

/** A person's edit sets the notify workflow off: the run's first event is caused by it. */
export async function personTriggersWorkflow(ctx: SimContext, personEventId: string, startMs: number): Promise<void> {
  const recordId = `rec_contacts_${ctx.rnd.int(1, 40)}`;
  await runWorkflow(
    ctx,
    { origin: "workflow", workflow: WORKFLOWS.notify, causedBy: personEventId, records: [recordId] },
    startMs,
  );
}

/**
 * Grace approves a 40% discount; the discount guard rule, started by her
 * decision, overrides it with its rationale and the path of rules it took.
 */
export async function discountOverride(ctx: SimContext, startMs: number): Promise<void> {
  const app = APPS[0];
  const recordId = "rec_deals_7";
  const target: Target = {
    type: "record",
    id: recordId,
    path: [`workspace:${WORKSPACE}`, `app:${app.id}`, "table:deals"],
  };
  ctx.states.set(recordId, { stage: "negotiation", discount_pct: 10, approved_by: null });
  const approval = await ctx.emitChange(
    recordId,
    {
      action: "record.update",
      actor: { type: "user", id: "usr_grace", name: "Grace Hopper" },
      target,
      metadata: { table: "deals", record_id: recordId, changed_fields: ["discount_pct", "approved_by"] },
      after: { stage: "negotiation", discount_pct: 40, approved_by: "usr_grace" },
    },
    startMs,
  );
  ctx.marks.approval = approval;
  await withAutomation(
    {
      origin: "rule",
      workflowId: WORKFLOWS.discountRule.id,
      workflowVersion: WORKFLOWS.discountRule.version,
      ruleId: WORKFLOWS.discountRule.rule,
      runId: ctx.nextId("run"),
      condition: "discount_pct > 25 and approver.role != 'finance'",
      serviceAccount: AUTOMATION_ACCOUNT,
      causedBy: approval,
    },
    async () => {
      const before = ctx.states.get(recordId);
      ctx.states.set(recordId, { stage: "negotiation", discount_pct: 25, approved_by: null });
      ctx.marks.override = await ctx.emitDecision(
        {
          action: "record.update",
          target,
          overrides: approval,
          rationale: "discounts above 25% need a finance approver; capped at 25% and sent back for approval",
          decisionPath: ["rule_discount_limit", "discount_pct > 25", "approver.role = sales", "cap at 25"],
          metadata: { table: "deals", record_id: recordId, changed_fields: ["discount_pct", "approved_by"] },
          change: { before: before ?? {}, after: { stage: "negotiation", discount_pct: 25, approved_by: null } },
        },
        startMs + 2 * SECOND,
      );
    },
  );
}
