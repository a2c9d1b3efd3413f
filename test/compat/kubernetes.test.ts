// The Kubernetes audit webhook against a real server over HTTP. There is no
// kube-apiserver here, so the tests replay a golden EventList
// (test/fixtures/compat/kubernetes/) with the headers kube-apiserver's
// webhook client sends: RequestReceived and ResponseComplete pairs, MicroTime
// timestamps, a 403 create of a Secret, a service account creating one, an
// impersonated request and a non-resource URL. What was stored is read back
// through GET /v1/events/:id with an auditor key, and from the data files.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { loadConfig } from "@trailproof/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiFixture } from "../api/api-fixture.js";
import {
  type CompatServer,
  expectCompatPostsInOpenApi,
  filesUnder,
  listen,
  replayGolden,
  startCompatServer,
} from "./compat-fixture.js";

const GOLDEN = join(import.meta.dirname, "../fixtures/compat/kubernetes");
const A = "3f8b5c7e-1d2a-4b6c-9e0f-a1b2c3d4e5f6";
const B = "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d";
const C = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
const D = "c0ffee00-1234-4abc-9def-0123456789ab";
const E = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

/** Sends the golden request as recorded: its method, path and headers, `{{KEY}}` and the others filled in. */
const replay = (base: URL, key: string, change: Parameters<typeof replayGolden>[3] = {}) =>
  replayGolden(base, join(GOLDEN, "eventlist.request.json"), key, change);

/** The golden EventList, to build variants of. */
function goldenList(): { items: Record<string, unknown>[] } & Record<string, unknown> {
  return JSON.parse(readFileSync(join(GOLDEN, "eventlist.body.json"), "utf8"));
}

interface KubeMetadata {
  kubernetes: Record<string, unknown>;
}

let s: CompatServer;
let f: ApiFixture;
let base: URL;
const acmeSize = () => s.size("acme");
const sizes = async () => [await s.size("acme"), await s.size("globex")];
const readBack = async (id: string) =>
  (await s.readBack(id)) as unknown as Record<string, unknown> & { metadata: KubeMetadata };

beforeAll(async () => {
  // The k8s.* actions are not registered: acme accepts unregistered actions (kind and category are always sent).
  s = await startCompatServer({ acceptUnknownActions: ["acme"] });
  ({ f, base } = s);
}, 60_000);
afterAll(async () => {
  await f?.close();
});

describe("Kubernetes audit webhook, a replayed golden EventList", () => {
  it("answers kube-apiserver's batch with 200, recording the ResponseComplete events and skipping the others", async () => {
    const before = await acmeSize();
    const res = await replay(base, f.acme.ingest);
    expect(res).toMatchObject({ status: 200, body: { created: 5, duplicate: 0, skipped: 2 } });
    expect(res.type).toMatch(/^application\/json/);
    expect(await acmeSize()).toBe(before + 5);
    const received = await f.request("GET", `/v1/events/k8s-${A}.RequestReceived`, f.acme.auditor);
    expect(received.statusCode).toBe(404);
  });

  it("maps a create: action, kind, actor, target in its namespace, outcome, client IP, MicroTime kept", async () => {
    const event = await readBack(`k8s-${A}.ResponseComplete`);
    expect(event).toMatchObject({
      action: "k8s.core.pods.create",
      kind: "create",
      category: "system",
      occurred_at: "2026-11-05T10:00:00.123Z",
      actor: { type: "user", id: "alice@example.com" },
      target: { type: "pods", id: "default/web-1", name: "web-1", path: ["namespace:default"] },
      outcome: { status: "success" },
      context: { ip: "10.0.0.5", user_agent: "kubectl/v1.34.0 (linux/amd64) kubernetes/abcdef0", request_id: A },
    });
    expect(event.metadata.kubernetes).toMatchObject({
      audit_id: A,
      stage: "ResponseComplete",
      level: "RequestResponse",
      verb: "create",
      request_received_timestamp: "2026-11-05T10:00:00.123456Z",
      stage_timestamp: "2026-11-05T10:00:00.234567Z",
      request_uri: "/api/v1/namespaces/default/pods?fieldManager=kubectl-client-side-apply",
      source_ips: ["10.0.0.5", "192.168.1.10"],
      response_code: 201,
      authorization_decision: "allow",
      user: { username: "alice@example.com", groups: ["devs", "system:authenticated"] },
      request_object: { kind: "Pod", metadata: { name: "web-1" } },
      response_object: { kind: "Pod", status: { phase: "Pending" } },
    });
  });

  it("maps a 403 create of a Secret to outcome denied with the API server's message", async () => {
    const event = await readBack(`k8s-${B}.ResponseComplete`);
    expect(event).toMatchObject({
      action: "k8s.core.secrets.create",
      kind: "create",
      actor: { type: "user", id: "bob@example.com" },
      target: { type: "secrets", id: "payments/*", path: ["namespace:payments"] },
      outcome: { status: "denied", reason: "forbidden" },
      message:
        'secrets is forbidden: User "bob@example.com" cannot create resource "secrets" in API group "" in the namespace "payments"',
    });
    expect(event.metadata.kubernetes).toMatchObject({ authorization_decision: "forbid", response_code: 403 });
  });

  it("maps a service account, and never stores a Secret's body", async () => {
    const event = await readBack(`k8s-${C}.ResponseComplete`);
    expect(event).toMatchObject({
      actor: { type: "service_account", id: "system:serviceaccount:ci:deployer" },
      target: { type: "secrets", id: "ci/registry-creds", name: "registry-creds" },
      outcome: { status: "success" },
      context: { ip: "10.244.1.17" },
    });
    const kube = event.metadata.kubernetes;
    expect(kube.request_object).toBeUndefined();
    expect(kube.response_object).toBeUndefined();
    expect(kube.dropped).toEqual([
      "kubernetes.request_object and kubernetes.response_object: this resource's bodies carry credentials and are never stored",
    ]);
    const stored = filesUnder(f.dataDir);
    // The positive control: the pod's body is in the files as sent, so the search below can fail.
    expect(stored.includes("kubectl-client-side-apply")).toBe(true);
    expect(stored.includes("c2VjcmV0LXZhbHVlLVpaOTk4OA==")).toBe(false);
  });

  it("keeps the real user as the actor of an impersonated request, acting on behalf of the impersonated one", async () => {
    const event = await readBack(`k8s-${D}.ResponseComplete`);
    expect(event).toMatchObject({
      action: "k8s.apps.deployments.get",
      kind: "read",
      actor: {
        type: "user",
        id: "alice@example.com",
        on_behalf_of: { type: "service_account", id: "system:serviceaccount:ci:deployer" },
      },
      target: { type: "deployments", id: "ci/api" },
    });
    expect(event.metadata.kubernetes).toMatchObject({
      impersonated_user: { username: "system:serviceaccount:ci:deployer" },
    });
  });

  it("maps a non-resource URL and a system: user", async () => {
    const event = await readBack(`k8s-${E}.ResponseComplete`);
    expect(event).toMatchObject({
      action: "k8s.non_resource.get",
      kind: "read",
      actor: { type: "system", id: "system:kube-controller-manager" },
      target: { type: "url", id: "/version" },
      occurred_at: "2026-11-05T10:04:00.999Z",
    });
    expect(event.metadata.kubernetes.request_received_timestamp).toBe("2026-11-05T10:04:00.999999Z");
  });

  it("answers a redelivered batch 200 as duplicates and writes nothing more", async () => {
    const before = await acmeSize();
    const res = await replay(base, f.acme.ingest);
    expect(res).toMatchObject({ status: 200, body: { created: 0, duplicate: 5, skipped: 2 } });
    expect(await acmeSize()).toBe(before);
  });

  it("records RequestReceived too where TRAILPROOF_K8S_AUDIT_STAGES says so, beside the events already recorded", async () => {
    const app = await f.appWith({ k8sAuditStages: ["RequestReceived", "ResponseComplete"] });
    try {
      const other = await listen(app);
      const before = await acmeSize();
      const res = await replay(other, f.acme.ingest);
      expect(res).toMatchObject({ status: 200, body: { created: 2, duplicate: 5, skipped: 0 } });
      expect(await acmeSize()).toBe(before + 2);
      const received = await readBack(`k8s-${A}.RequestReceived`);
      expect(received).toMatchObject({ action: "k8s.core.pods.create", outcome: { status: "success" } });
      expect(received.metadata.kubernetes).toMatchObject({ stage: "RequestReceived" });
    } finally {
      await app.close();
    }
  });

  it("reads the stages from the environment, and refuses a stage that is none", () => {
    expect(loadConfig({}).k8sAuditStages).toEqual(["ResponseComplete"]);
    expect(loadConfig({ TRAILPROOF_K8S_AUDIT_STAGES: "RequestReceived, ResponseComplete" }).k8sAuditStages).toEqual([
      "RequestReceived",
      "ResponseComplete",
    ]);
    expect(() => loadConfig({ TRAILPROOF_K8S_AUDIT_STAGES: "ResponseComplete,Done" })).toThrow(
      expect.objectContaining({ code: "CONFIG_INVALID" }),
    );
  });

  it("accepts one Event, gzip compressed, at the URL naming the key's own tenant", async () => {
    const [item] = goldenList().items;
    const event = {
      kind: "Event",
      apiVersion: "audit.k8s.io/v1",
      ...item,
      auditID: "11111111-aaaa-4bbb-8ccc-dddddddddddd",
    };
    const res = await replay(base, f.acme.ingest, {
      path: "/k8s/audit/acme",
      body: gzipSync(JSON.stringify({ ...event, stage: "ResponseComplete" })),
      headers: { "Content-Encoding": "gzip" },
    });
    expect(res).toMatchObject({ status: 200, body: { created: 1, skipped: 0 } });
    await readBack("k8s-11111111-aaaa-4bbb-8ccc-dddddddddddd.ResponseComplete");
  });

  it("leaves out a request object that would take the metadata over 16 KiB, and says so", async () => {
    const [, item] = goldenList().items;
    const configMap = {
      kind: "ConfigMap",
      apiVersion: "v1",
      metadata: { name: "big", namespace: "default" },
      data: { blob: "x".repeat(20_000) },
    };
    const event = { ...item, auditID: "44444444-aaaa-4bbb-8ccc-dddddddddddd", requestObject: configMap };
    const res = await replay(base, f.acme.ingest, { body: JSON.stringify({ ...goldenList(), items: [event] }) });
    expect(res).toMatchObject({ status: 200, body: { created: 1 } });
    const stored = await readBack("k8s-44444444-aaaa-4bbb-8ccc-dddddddddddd.ResponseComplete");
    expect(stored.metadata.kubernetes.request_object).toBeUndefined();
    expect(stored.metadata.kubernetes.response_object).toMatchObject({ kind: "Pod" });
    expect(stored.metadata.kubernetes.dropped).toEqual([
      expect.stringMatching(/^kubernetes\.request_object: 20\d{3} bytes, more than fits in the 16 KiB of metadata$/),
    ]);
  });

  it("refuses a URL or header naming a tenant the key may not append to, and writes nothing", async () => {
    const before = await sizes();
    const res = await replay(base, f.acme.ingest, { path: "/k8s/audit/globex" });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("TENANT_NOT_ALLOWED");
    for (const header of ["X-Trailproof-Tenant", "X-Tenant"]) {
      const named = await replay(base, f.acme.ingest, { headers: { [header]: "globex" } });
      expect(named.status, header).toBe(403);
      expect(named.body.code).toBe("TENANT_NOT_ALLOWED");
    }
    expect(await sizes()).toEqual(before);
  });

  it("refuses the whole batch with 400 problem+json when one event maps to an invalid one", async () => {
    const list = goldenList();
    const fresh = (i: number, auditID: string) => ({ ...list.items[i], auditID });
    const good = fresh(1, "22222222-aaaa-4bbb-8ccc-dddddddddddd");
    const bad = { ...fresh(3, "33333333-aaaa-4bbb-8ccc-dddddddddddd"), requestReceivedTimestamp: "2026-11-05 10:01" };
    const before = await acmeSize();
    const res = await replay(base, f.acme.ingest, { body: JSON.stringify({ ...list, items: [good, bad] }) });
    expect(res.status).toBe(400);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe("EVENT_INVALID");
    expect((res.body.problems as { pointer: string }[]).map((p) => p.pointer)).toContain("/items/1/occurred_at");
    expect(await acmeSize()).toBe(before);
    const absent = await f.request(
      "GET",
      "/v1/events/k8s-22222222-aaaa-4bbb-8ccc-dddddddddddd.ResponseComplete",
      f.acme.auditor,
    );
    expect(absent.statusCode).toBe(404);
  });

  it("refuses malformed bodies and oversized batches with 400 or 413, and writes nothing", async () => {
    const list = goldenList();
    const before = await acmeSize();
    const notJson = await replay(base, f.acme.ingest, { body: '{"kind":"EventList","items":[' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.code).toBe("REQUEST_MALFORMED_JSON");
    const wrongVersion = await replay(base, f.acme.ingest, {
      body: JSON.stringify({ ...list, apiVersion: "audit.k8s.io/v2" }),
    });
    expect(wrongVersion.status).toBe(400);
    expect(wrongVersion.body.code).toBe("REQUEST_INVALID");
    const noUser = await replay(base, f.acme.ingest, {
      body: JSON.stringify({ ...list, items: [{ ...list.items[1], user: "alice", auditID: 7 }] }),
    });
    expect(noUser.status).toBe(400);
    expect((noUser.body.problems as { pointer: string }[]).map((p) => p.pointer).sort()).toEqual([
      "/items/0/auditID",
      "/items/0/user",
    ]);
    const tooMany = await replay(base, f.acme.ingest, {
      body: JSON.stringify({ ...list, items: Array.from({ length: 401 }, () => list.items[1]) }),
    });
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.code).toBe("BATCH_TOO_LARGE");
    expect(await acmeSize()).toBe(before);
  });

  it("is in the OpenAPI document, tagged compat, behind the bearer scheme", async () => {
    await expectCompatPostsInOpenApi(f, ["/k8s/audit", "/k8s/audit/{tenant}"]);
  });

  it("refuses a wrong key with 401 and writes nothing", async () => {
    const before = await sizes();
    const res = await replay(base, "tpk_not_a_real_key");
    expect(res.status).toBe(401);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(await sizes()).toEqual(before);
  });
});
