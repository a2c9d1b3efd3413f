// Nested automations recorded through the SDK come back from the service's
// trace end to end (person -> workflow run -> step -> changed record), and
// receipts verify against the log's pinned key.
import { events, TrailproofClient, verifyReceipt } from "@trailproof/client";
import { withAutomation, withRequestContext, withStep } from "@trailproof/client/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SdkServer, startSdkServer } from "./sdk-server.js";

let s: SdkServer;
beforeAll(async () => {
  s = await startSdkServer("trace");
}, 30_000);
afterAll(async () => {
  await s?.stop();
});

const bot = { id: "svc_automations", name: "Automation engine" };
const at = (minute: number) => new Date(Date.UTC(2026, 4, 3, 9, minute)).toISOString();

describe("automation attribution on the real service", () => {
  it("returns person -> run -> step -> changed record from GET /v1/events/{id}/trace", async () => {
    const client = new TrailproofClient({ url: s.url, apiKey: s.ingestKey, flushIntervalMs: 10 });
    const ids: Record<string, string> = {};
    ids.person = withRequestContext(
      {
        context: { ip: "203.0.113.7", session_id: "ses_ada" },
        actor: { type: "user", id: "usr_ada", name: "Ada Lovelace" },
      },
      () =>
        client.recordChange({
          action: "record.update",
          occurred_at: at(0),
          target: { type: "record", id: "rec_deal_1" },
          before: { stage: "lead" },
          after: { stage: "won" },
        }).id,
    );
    await withAutomation(
      {
        origin: "workflow",
        workflowId: "wf_onboard",
        workflowVersion: "4",
        runId: "run_onboard_1",
        serviceAccount: bot,
        causedBy: ids.person,
      },
      async () => {
        ids.start = client.record({
          ...events.workflowRunStarted({ target: { type: "workflow", id: "wf_onboard" } }),
          occurred_at: at(1),
        }).id;
        await withStep("create_customer", async () => {
          ids.step = client.record({
            ...events.policyEvaluated({
              target: { type: "record", id: "rec_cust_1" },
              metadata: { decision: "allow" },
            }),
            occurred_at: at(2),
          }).id;
          await new Promise((r) => setTimeout(r, 5));
          ids.changed = client.recordChange({
            action: "record.create",
            occurred_at: at(3),
            target: { type: "record", id: "rec_cust_1" },
            after: { name: "Acme Ltd", tier: "gold" },
          }).id;
          await withAutomation(
            { origin: "webhook", workflowId: "wf_welcome", runId: "run_welcome_1", serviceAccount: bot },
            async () => {
              ids.nested = client.record({
                ...events.workflowRunStarted({ target: { type: "workflow", id: "wf_welcome" } }),
                occurred_at: at(4),
              }).id;
            },
          );
        });
        ids.finish = client.record({
          ...events.workflowRunFinished({ target: { type: "workflow", id: "wf_onboard" } }),
          occurred_at: at(5),
        }).id;
      },
    );
    const receipt = await client.record({
      ...events.recordRead({ actor: { type: "user", id: "usr_ada" }, target: { type: "record", id: "rec_cust_1" } }),
      occurred_at: at(6),
    });
    await client.close();
    expect(client.stats()).toMatchObject({ acknowledged: 7, rejected: 0 });

    const trace = await s.get(`/v1/events/${ids.changed}/trace`);
    expect(trace.status).toBe(200);
    const idsOf = (items: Array<{ event: { id: string } }>) => items.map((i) => i.event.id);
    expect(idsOf(trace.body.ancestors)).toEqual([ids.person, ids.start, ids.step]);
    expect(trace.body.ancestors[0].event.actor).toMatchObject({ type: "user", id: "usr_ada" });
    expect(trace.body.event.event.actor).toMatchObject({ type: "automation", id: "svc_automations" });
    expect(trace.body.event.event.automation).toMatchObject({
      run_id: "run_onboard_1",
      step: "create_customer",
      caused_by: ids.step,
    });
    expect(idsOf(trace.body.run)).toEqual([ids.start, ids.step, ids.changed, ids.finish]);
    expect(trace.body.unresolved_cause).toBeNull();

    const fromPerson = await s.get(`/v1/events/${ids.person}/trace`);
    expect(idsOf(fromPerson.body.descendants)).toEqual([ids.start, ids.step, ids.finish, ids.changed, ids.nested]);

    // The receipt verifies against the key pinned from GET /v1/log/key.
    const key = (await s.get("/v1/log/key")).body.verifier_key as string;
    const verified = await verifyReceipt(receipt, { url: s.url, apiKey: s.auditorKey, verifierKey: key });
    expect(verified.treeSize).toBeGreaterThan(BigInt(receipt.index));
    await expect(
      verifyReceipt({ ...receipt, index: receipt.index - 1 }, { url: s.url, apiKey: s.auditorKey, verifierKey: key }),
    ).rejects.toMatchObject({ code: "RECEIPT_MISMATCH" });
  }, 30_000);
});
