import type { AddressInfo } from "node:net";
import express from "express";
import Fastify from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { currentRun, withAutomation, withRequestContext, withStep } from "./async-context.js";
import { events } from "./event-builders.js";
import { type IngestServer, startIngestServer } from "./ingest-server.fixture.js";
import { expressContext, fastifyContext } from "./request-middleware.js";
import { TrailproofClient } from "./trailproof-client.js";

let server: IngestServer;
let client: TrailproofClient;
beforeEach(async () => {
  server = await startIngestServer();
  client = new TrailproofClient({ url: server.url, apiKey: "tpk_test", flushIntervalMs: 10 });
});
afterEach(async () => {
  await client.close();
  await server.close();
});

type Sent = {
  id: string;
  actor: { type: string; id: string };
  automation?: Record<string, unknown>;
  context?: Record<string, unknown>;
};
const sent = (id: string) => server.sealed.get(id)?.event as Sent;
const tick = () => new Promise((r) => setTimeout(r, 1));
const bot = { id: "svc_workflows", name: "Workflow engine" };
const rec = (id: string) => events.recordUpdated({ target: { type: "record", id }, before: { a: 1 }, after: { a: 2 } });

describe("withAutomation", () => {
  it("attributes events across awaits: run fields, service account, caused_by the run's first event", async () => {
    const person = client.record({ ...rec("rec_1"), actor: { type: "user", id: "usr_ada" } });
    const ids = await withAutomation(
      {
        origin: "workflow",
        workflowId: "wf_enrich",
        workflowVersion: "3",
        runId: "run_1",
        serviceAccount: bot,
        causedBy: person.id,
      },
      async () => {
        const start = client.record(events.workflowRunStarted({ target: { type: "workflow", id: "wf_enrich" } }));
        await tick();
        const change = client.record(rec("rec_2"));
        expect(currentRun()?.triggerEventId).toBe(start.id);
        return [start.id, change.id];
      },
    );
    await client.flush();
    const [start, change] = ids.map((id) => sent(id as string));
    expect(start?.actor).toEqual({ type: "automation", id: "svc_workflows", name: "Workflow engine" });
    expect(start?.automation).toEqual({
      origin: "workflow",
      workflow_id: "wf_enrich",
      workflow_version: "3",
      run_id: "run_1",
      caused_by: person.id,
    });
    expect(change?.automation?.caused_by).toBe(start?.id);
    expect(sent(person.id).automation).toBeUndefined();
  });

  it("nests: a step chains to the run's trigger, a nested run's trigger to the enclosing trigger", async () => {
    const out: Record<string, string> = {};
    await withAutomation({ origin: "webhook", runId: "run_outer", serviceAccount: bot }, async () => {
      out.outer = client.record(events.workflowRunStarted({ target: { type: "workflow", id: "wf_a" } })).id;
      await withStep("score", async () => {
        out.step = client.record(events.policyEvaluated({ target: { type: "record", id: "r" } })).id;
        await tick();
        out.stepChange = client.record(rec("r")).id;
        await withAutomation(
          {
            origin: "workflow",
            runId: "run_inner",
            workflowId: "wf_b",
            serviceAccount: { id: "svc_b", type: "service_account" },
          },
          async () => {
            out.inner = client.record(events.workflowRunStarted({ target: { type: "workflow", id: "wf_b" } })).id;
            out.innerChange = client.record(rec("r2")).id;
          },
        );
      });
      out.outerFinish = client.record(events.workflowRunFinished({ target: { type: "workflow", id: "wf_a" } })).id;
    });
    await client.flush();
    const a = (key: string) => sent(out[key] as string).automation;
    expect(a("outer")).toEqual({ origin: "webhook", run_id: "run_outer" });
    expect(a("step")).toEqual({ origin: "webhook", run_id: "run_outer", step: "score", caused_by: out.outer });
    expect(a("stepChange")?.caused_by).toBe(out.step);
    expect(a("inner")).toEqual({ origin: "workflow", run_id: "run_inner", workflow_id: "wf_b", caused_by: out.step });
    expect(sent(out.inner as string).actor).toEqual({ type: "service_account", id: "svc_b" });
    expect(a("innerChange")?.caused_by).toBe(out.inner);
    expect(a("outerFinish")?.caused_by).toBe(out.outer);
  });

  it("lets explicit fields win and records an override decision with rationale and path", async () => {
    const earlier = client.record({ ...rec("rec_9"), actor: { type: "user", id: "usr_grace" } });
    let decision = "";
    await withAutomation({ origin: "rule", ruleId: "rule_credit", serviceAccount: bot }, async () => {
      decision = client.recordDecision({
        ...rec("rec_9"),
        overrides: earlier.id,
        rationale: "credit score below threshold",
        decisionPath: ["rule_credit", "score < 500"],
      }).id;
    });
    await client.flush();
    expect(sent(decision).automation).toEqual({
      origin: "rule",
      rule_id: "rule_credit",
      overrides: earlier.id,
      rationale: "credit score below threshold",
      decision_path: ["rule_credit", "score < 500"],
    });
  });

  it("withStep outside a run throws AUTOMATION_SCOPE_MISSING", () => {
    expect(() => withStep("x", () => 1)).toThrow(expect.objectContaining({ code: "AUTOMATION_SCOPE_MISSING" }));
  });

  it("takes context and actor from withRequestContext", async () => {
    const id = withRequestContext(
      { context: { ip: "198.51.100.4", session_id: "ses_1" }, actor: { type: "user", id: "usr_x" } },
      () => client.record(rec("r")).id,
    );
    await client.flush();
    expect(sent(id)).toMatchObject({ actor: { id: "usr_x" }, context: { ip: "198.51.100.4", session_id: "ses_1" } });
  });
});

const TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
const contextOptions = {
  trustedProxies: ["127.0.0.1"],
  sessionId: (req: { headers: Record<string, unknown> }) => req.headers["x-session"] as string | undefined,
  actor: (req: { headers: Record<string, unknown> }) => ({ type: "user" as const, id: String(req.headers["x-user"]) }),
};

async function post(url: string, headers: Record<string, string>): Promise<string> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ layout: "stack" }),
  });
  return ((await res.json()) as { id: string }).id;
}

describe("request context middleware", () => {
  it("Express: events recorded while handling a request carry its context, after body parsing", async () => {
    const app = express();
    app.use(expressContext(contextOptions));
    app.use(express.json());
    app.post("/pages/:id", async (req, res) => {
      await tick();
      const r = client.record(
        events.pageUpdated({ target: { type: "page", id: String(req.params.id) }, after: req.body }),
      );
      res.json({ id: r.id });
    });
    const listener = app.listen(0, "127.0.0.1");
    await new Promise((r) => listener.once("listening", r));
    const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/pages/p1`;
    try {
      const id = await post(url, {
        "x-forwarded-for": "203.0.113.9, 127.0.0.1",
        "user-agent": "test-agent/1.0",
        "x-session": "ses_42",
        "x-request-id": "req_abc",
        "x-user": "usr_ada",
        traceparent: TRACEPARENT,
      });
      await client.flush();
      expect(sent(id)).toMatchObject({
        actor: { type: "user", id: "usr_ada" },
        context: {
          ip: "203.0.113.9",
          user_agent: "test-agent/1.0",
          session_id: "ses_42",
          request_id: "req_abc",
          trace_id: "4bf92f3577b34da6a3ce929d0e0e4736",
          span_id: "00f067aa0ba902b7",
        },
      });
    } finally {
      listener.close();
    }
  });

  it("Fastify: the onRequest hook carries context into the handler, and X-Forwarded-For from an untrusted peer is ignored", async () => {
    const app = Fastify();
    app.addHook("onRequest", fastifyContext({ ...contextOptions, trustedProxies: ["10.9.9.9"] }));
    app.post<{ Params: { id: string }; Body: Record<string, string> }>("/pages/:id", async (request) => {
      await tick();
      const r = client.record(
        events.pageUpdated({ target: { type: "page", id: request.params.id }, after: request.body }),
      );
      return { id: r.id };
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/pages/p2`;
    try {
      const id = await post(url, { "x-forwarded-for": "203.0.113.9", "x-user": "usr_grace", traceparent: TRACEPARENT });
      await client.flush();
      const event = sent(id);
      expect(event.context?.ip).toBe("127.0.0.1");
      expect(event.context?.request_id).toMatch(/^req-/);
      expect(event.context?.trace_id).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
      expect(event.actor).toEqual({ type: "user", id: "usr_grace" });
    } finally {
      await app.close();
    }
  });
});
