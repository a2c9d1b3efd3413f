// A small causation chain on top of the demo data, sent with an ingest key:
// a person publishes a workflow, which starts a run, whose step changes a
// record, then the run finishes. The trace view must show all of it.
import { api, type TestServer } from "./harness.js";

export const CHAIN = {
  publish: "chain_publish",
  runStart: "chain_run_start",
  update: "chain_update",
  runFinish: "chain_run_finish",
  runId: "run_chain_1",
  workflowId: "wf_invoice_discounts",
};

/** Sends the chain; returns the ingest key it used. */
export async function ingestChain(server: TestServer): Promise<string> {
  const { key } = await api<{ key: string }>(server, "POST", "/v1/keys", { role: "ingest", name: "browser-tests" });
  const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
  const automation = {
    origin: "workflow",
    workflow_id: CHAIN.workflowId,
    workflow_version: "3",
    run_id: CHAIN.runId,
  };
  const events = [
    {
      id: CHAIN.publish,
      action: "workflow.update",
      occurred_at: at(10),
      actor: { type: "user", id: "usr_grace", name: "Grace Hopper" },
      target: { type: "workflow", id: CHAIN.workflowId, name: "Invoice discounts", path: ["workspace:acme"] },
      message: "Grace published version 3 of Invoice discounts",
      context: { ip: "198.51.100.23", environment: "production", session_id: "ses_grace_1" },
      change: { before: { version: 2, threshold: 1000 }, after: { version: 3, threshold: 500 } },
      tags: ["app:billing"],
    },
    {
      id: CHAIN.runStart,
      action: "workflow.run.start",
      occurred_at: at(9),
      actor: { type: "automation", id: CHAIN.workflowId },
      target: { type: "workflow", id: CHAIN.workflowId },
      automation: { ...automation, caused_by: CHAIN.publish, trigger_id: "trg_publish" },
      tags: ["app:billing"],
    },
    {
      id: CHAIN.update,
      action: "record.update",
      occurred_at: at(8),
      actor: { type: "automation", id: CHAIN.workflowId },
      target: { type: "record", id: "inv_1042", name: "Invoice 1042", path: ["workspace:acme", "app:billing"] },
      automation: { ...automation, caused_by: CHAIN.runStart, step: "apply_discount", rationale: "total above 500" },
      change: {
        before: { total: 820, discount: 0, status: "open", email: "buyer@example.com" },
        after: { total: 738, discount: 82, status: "open", email: "buyer@example.com" },
      },
      risk: "medium",
      tags: ["app:billing"],
    },
    {
      id: CHAIN.runFinish,
      action: "workflow.run.finish",
      occurred_at: at(7),
      actor: { type: "automation", id: CHAIN.workflowId },
      target: { type: "workflow", id: CHAIN.workflowId },
      automation: { ...automation, caused_by: CHAIN.runStart },
      tags: ["app:billing"],
    },
  ];
  const result = await api<{ results: { status: string; errors?: unknown }[] }>(
    server,
    "POST",
    "/v1/events",
    { events },
    key,
  );
  const refused = result.results.filter((r) => r.status === "rejected");
  if (refused.length > 0) throw new Error(`scenario events refused: ${JSON.stringify(refused)}`);
  return key;
}
