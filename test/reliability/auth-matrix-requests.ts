// The requests of the authorisation matrix: for each route, a request that
// would succeed for a caller allowed to make it (naming acme's own
// resources), and where the route can name a tenant's resources (an id in the
// path, a filter), the same request naming globex's instead. Throwaway keys
// and people are made fresh for every request that deletes one.
import { issueApiKey, issuePlatformKey } from "@trailproof/ledger";
import type { Column, MatrixContext } from "./auth-matrix-context.js";
import { expectJson, PASSWORD, type Reply } from "./world.js";

export interface MatrixRequest {
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteRequests {
  /** `column` is who will send it (state some routes read lives in that column's app). */
  own(ctx: MatrixContext, n: number, column: Column): MatrixRequest | Promise<MatrixRequest>;
  /** The request naming globex's resource; absent where the route names none. */
  foreign?(ctx: MatrixContext, n: number, column: Column): MatrixRequest | Promise<MatrixRequest>;
  /** Checks a successful foreign answer says nothing about globex (and changed nothing of it). */
  checkForeign?(res: Reply, ctx: MatrixContext): void | Promise<void>;
}

const event = (id: string) => ({
  id,
  action: "app.update",
  occurred_at: "2026-11-05T12:00:00Z",
  actor: { type: "user", id: "usr_matrix" },
  target: { type: "app", id: "app_matrix" },
});

const MATRIX_REPORT = {
  name: "matrix",
  period: { from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z" },
  sections: [{ type: "access_changes" }],
  checks: [],
};

const MATRIX_SCHEDULE = {
  name: "matrix",
  cron: "0 6 1 * *",
  period: "previous_month",
  definition: { name: "matrix", sections: [{ type: "access_changes" }], checks: [] },
  channel_ids: [],
};

/** An OTLP/JSON export of one log record of app.update naming `tenant` in its tenant.id attribute. */
const otlpExport = (id: string, tenant: string) => {
  const attribute = (key: string, value: string) => ({ key, value: { stringValue: value } });
  const record = {
    timeUnixNano: "1793880000000000000",
    eventName: "app.update",
    attributes: [
      attribute("event.id", id),
      attribute("tenant.id", tenant),
      attribute("user.id", "usr_matrix"),
      attribute("audit.target.type", "app"),
      attribute("audit.target.id", "app_matrix"),
    ],
  };
  return { resourceLogs: [{ scopeLogs: [{ logRecords: [record] }] }] };
};

/** A structured-mode CloudEvent of app.update naming `tenant` in its tenant extension. */
const cloudEvent = (id: string, tenant: string): MatrixRequest => ({
  path: "/v1/cloudevents",
  headers: { "content-type": "application/cloudevents+json" },
  body: {
    specversion: "1.0",
    id,
    source: "urn:matrix",
    type: "app.update",
    time: "2026-11-05T12:00:00Z",
    subject: "app/app_matrix",
    tenant,
    data: { actor: { type: "user", id: "usr_matrix" } },
  },
});

/** A throwaway acme person, made by acme's admin key through the API. */
async function throwawayPerson(ctx: MatrixContext, n: number): Promise<string> {
  const username = `throwaway-${n}`;
  await expectJson(
    ctx.send,
    {
      method: "POST",
      path: "/v1/people",
      key: ctx.world.acme.keys.admin,
      body: { username, display_name: username, role: "viewer", password: PASSWORD },
    },
    201,
  );
  return username;
}

/** One OPA decision (a policy.evaluate event, registered in every tenant) with a fresh decision_id. */
const opaUpload = (n: number) => [
  {
    labels: { id: "matrix-opa", version: "1.22.3" },
    decision_id: `matrix-opa-${n}`,
    path: "matrix/allow",
    input: { user: "usr_matrix" },
    result: true,
    timestamp: "2026-11-05T12:00:00.123456789Z",
  },
];

/** One RequestReceived audit event: acknowledged and skipped under the default stages, so no action schema is needed. */
const k8sBatch = (n: number) => ({
  kind: "EventList",
  apiVersion: "audit.k8s.io/v1",
  metadata: {},
  items: [
    {
      level: "Metadata",
      auditID: `matrix-k8s-${n}`,
      stage: "RequestReceived",
      requestURI: "/api/v1/namespaces/default/pods",
      verb: "list",
      user: { username: "usr_matrix" },
      objectRef: { resource: "pods", namespace: "default", apiVersion: "v1" },
      requestReceivedTimestamp: "2026-11-05T12:00:00.123456Z",
      stageTimestamp: "2026-11-05T12:00:00.123456Z",
    },
  ],
});

const MATRIX_RULE = {
  name: "matrix rule",
  severity: "low",
  condition: { type: "threshold", query: "action:app.update", count: 1000, window_seconds: 60 },
};

const same = (path: string, body?: unknown): RouteRequests => ({ own: () => ({ path, ...(body ? { body } : {}) }) });

/** A route naming a tenant in its path: acme's own, globex's foreign. */
const both = (request: (tenant: "acme" | "globex") => MatrixRequest): RouteRequests => ({
  own: () => request("acme"),
  foreign: () => request("globex"),
});

/** A fresh active legal hold of `tenant`, placed by nobody the matrix stands for. */
async function matrixHold(ctx: MatrixContext, tenant: "acme" | "globex", n: number): Promise<string> {
  const tenantId = (await ctx.data.ledger.tenantRecord(tenant)).tenantId;
  const holdId = `hold_matrix_${tenant}_${n}`;
  await ctx.data.retention.insertLegalHold({
    holdId,
    tenantId,
    scope: { type: "tag", tag: "matrix" },
    reason: "matrix",
    expiresAt: null,
    placedBy: "key_elsewhere",
    placedAt: new Date().toISOString(),
    liftedBy: null,
    liftedAt: null,
  });
  return holdId;
}

/** A fresh erasure of `tenant` (of a subject nobody else erases), carried out by nobody the matrix stands for. */
async function matrixErasure(ctx: MatrixContext, tenant: "acme" | "globex", n: number): Promise<string> {
  const { record } = await ctx.data.ledger.eraseSubject(tenant, `usr_erased_${tenant}_${n}`, {
    erasureId: `ers_matrix_${tenant}_${n}`,
    requestedBy: "key_elsewhere",
    approvedBy: "key_other",
  });
  return record.erasureId;
}

/** A Retraced event (a built-in action, so every tenant accepts it). */
const retracedEvent = (n: number) => ({
  action: "app.update",
  crud: "u",
  actor: { id: "usr_matrix" },
  target: { id: `app_matrix_${n}`, type: "app" },
});

/** Retraced's publisher routes, at the root or under /auditlog, for acme's project or globex's. */
const retraced = (prefix: string, tail: string, body?: (n: number) => unknown): RouteRequests => ({
  own: (_, n) => ({ path: `${prefix}/publisher/v1/project/acme${tail}`, ...(body ? { body: body(n) } : {}) }),
  foreign: (_, n) => ({ path: `${prefix}/publisher/v1/project/globex${tail}`, ...(body ? { body: body(n) } : {}) }),
});
const retracedBulk = (n: number) => ({ events: [retracedEvent(n)] });
const viewerTokenQuery = "/viewertoken?group_id=g_matrix&actor_id=v_matrix";

const workosEvent = (organization: string, n: number): MatrixRequest => ({
  path: "/audit_logs/events",
  headers: { "idempotency-key": `matrix-${n}` },
  body: {
    organization_id: organization,
    event: {
      action: "app.update",
      occurred_at: "2026-11-05T12:00:00Z",
      actor: { id: "usr_matrix", type: "user" },
      targets: [{ id: `app_matrix_${n}`, type: "app" }],
      context: { location: "192.0.2.1" },
    },
  },
});
const exportBody = (organization: string) => ({
  organization_id: organization,
  range_start: "2026-11-01T00:00:00Z",
  range_end: "2026-11-30T00:00:00Z",
});

/** A WorkOS export of `tenant`'s, made by its auditor key in the app `column` calls (exports live in its shared state). */
async function workosExport(ctx: MatrixContext, column: Column, tenant: "acme" | "globex") {
  const created = await ctx.sendAs(column)({
    method: "POST",
    path: "/audit_logs/exports",
    key: ctx.world[tenant].keys.auditor,
    body: exportBody(tenant),
  });
  if (created.status !== 201) throw new Error(`POST /audit_logs/exports: ${created.status} ${created.text}`);
  return JSON.parse(created.text) as { id: string; url: string };
}

/** Keyed by the route's name ("METHOD /url"); HEAD routes use their GET route's requests. */
export const REQUESTS: Record<string, RouteRequests> = {
  "GET /healthz": same("/healthz"),
  "GET /readyz": same("/readyz"),
  "GET /metrics": same("/metrics"),
  "GET /openapi.json": same("/openapi.json"),
  "GET /docs": same("/docs"),
  "HEAD /docs/": same("/docs/"),
  "GET /docs/json": same("/docs/json"),
  "GET /docs/yaml": same("/docs/yaml"),
  "GET /docs/static/index.html": same("/docs/static/index.html"),
  "GET /docs/static/swagger-initializer.js": same("/docs/static/swagger-initializer.js"),
  "GET /docs/static/*": same("/docs/static/swagger-ui.css"),

  "POST /v1/tenants": { own: (_, n) => ({ path: "/v1/tenants", body: { name: `matrix-${n}` } }) },
  "GET /v1/tenants": same("/v1/tenants"),
  "POST /v1/tenants/:tenant/keys": {
    own: (_, n) => ({ path: "/v1/tenants/acme/keys", body: { name: `recovery ${n}` } }),
  },

  "POST /v1/platform-keys": same("/v1/platform-keys", { name: "matrix", tenants: ["acme"] }),
  "GET /v1/platform-keys": same("/v1/platform-keys"),
  // A fresh key for every call: a revoked one would answer 404 to the next caller.
  "DELETE /v1/platform-keys/:keyId": {
    own: async (ctx, n) => {
      const doomed = await issuePlatformKey(ctx.data.access, { name: `doomed ${n}`, tenants: "all", createdBy: null });
      return { path: `/v1/platform-keys/${doomed.record.keyId}` };
    },
  },

  "POST /v1/auth/login": {
    own: (ctx) => ({
      path: "/v1/auth/login",
      body: { tenant: "acme", username: ctx.world.acme.person, password: PASSWORD },
    }),
    // acme's person and password, presented to globex.
    foreign: (ctx) => ({
      path: "/v1/auth/login",
      body: { tenant: "globex", username: ctx.world.acme.person, password: PASSWORD },
    }),
  },
  "POST /v1/auth/enroll": same("/v1/auth/enroll", { login_token: "not-a-login", code: "000000" }),
  "POST /v1/auth/totp": same("/v1/auth/totp", { login_token: "not-a-login", code: "000000" }),
  "POST /v1/auth/recover": same("/v1/auth/recover", { login_token: "not-a-login", recovery_code: "abcd-efgh-ijkl" }),
  "GET /v1/auth/session": same("/v1/auth/session"),
  "POST /v1/reports": same("/v1/reports", MATRIX_REPORT),
  "GET /v1/reports/:id": {
    own: async (ctx) => ({ path: `/v1/reports/${await matrixReport(ctx, "acme")}` }),
    foreign: async (ctx) => ({ path: `/v1/reports/${await matrixReport(ctx, "globex")}` }),
  },
  "POST /v1/report-schedules": same("/v1/report-schedules", MATRIX_SCHEDULE),
  "GET /v1/report-schedules": same("/v1/report-schedules"),
  "GET /v1/report-schedules/:id": {
    own: async (ctx, n) => ({ path: `/v1/report-schedules/${await matrixSchedule(ctx, "acme", n)}` }),
    foreign: async (ctx, n) => ({ path: `/v1/report-schedules/${await matrixSchedule(ctx, "globex", n)}` }),
  },
  "PUT /v1/report-schedules/:id": {
    own: async (ctx, n) => ({
      path: `/v1/report-schedules/${await matrixSchedule(ctx, "acme", n)}`,
      body: MATRIX_SCHEDULE,
    }),
    foreign: async (ctx, n) => ({
      path: `/v1/report-schedules/${await matrixSchedule(ctx, "globex", n)}`,
      body: MATRIX_SCHEDULE,
    }),
  },
  "DELETE /v1/report-schedules/:id": {
    own: async (ctx, n) => ({ path: `/v1/report-schedules/${await matrixSchedule(ctx, "acme", n)}` }),
    foreign: async (ctx, n) => ({ path: `/v1/report-schedules/${await matrixSchedule(ctx, "globex", n)}` }),
  },
  "GET /v1/governance": same("/v1/governance?phase=deploy"),
  "GET /v1/rules": same("/v1/rules"),
  "POST /v1/rules": same("/v1/rules", MATRIX_RULE),
  "POST /v1/rules/backtest": same("/v1/rules/backtest?from=2026-11-01&to=2026-11-02", MATRIX_RULE),
  "GET /v1/rules/:id": {
    own: async (ctx, n) => ({ path: `/v1/rules/${await matrixRule(ctx, "acme", n)}` }),
    foreign: async (ctx, n) => ({ path: `/v1/rules/${await matrixRule(ctx, "globex", n)}` }),
  },
  "PUT /v1/rules/:id": {
    own: async (ctx, n) => ({ path: `/v1/rules/${await matrixRule(ctx, "acme", n)}`, body: MATRIX_RULE }),
    foreign: async (ctx, n) => ({ path: `/v1/rules/${await matrixRule(ctx, "globex", n)}`, body: MATRIX_RULE }),
  },
  "DELETE /v1/rules/:id": {
    own: async (ctx, n) => ({ path: `/v1/rules/${await matrixRule(ctx, "acme", n)}` }),
    foreign: async (ctx, n) => ({ path: `/v1/rules/${await matrixRule(ctx, "globex", n)}` }),
  },
  "GET /v1/rules/:id/versions": {
    own: async (ctx, n) => ({ path: `/v1/rules/${await matrixRule(ctx, "acme", n)}/versions` }),
    foreign: async (ctx, n) => ({ path: `/v1/rules/${await matrixRule(ctx, "globex", n)}/versions` }),
  },
  "POST /v1/rules/:id/backtest": {
    own: async (ctx, n) => ({
      path: `/v1/rules/${await matrixRule(ctx, "acme", n)}/backtest?from=2026-11-01&to=2026-11-02`,
    }),
    foreign: async (ctx, n) => ({
      path: `/v1/rules/${await matrixRule(ctx, "globex", n)}/backtest?from=2026-11-01&to=2026-11-02`,
    }),
  },
  "GET /v1/alerts": same("/v1/alerts"),
  "GET /v1/alerts/:id": {
    own: async (ctx, n) => ({ path: `/v1/alerts/${await matrixAlert(ctx, "acme", n)}` }),
    foreign: async (ctx, n) => ({ path: `/v1/alerts/${await matrixAlert(ctx, "globex", n)}` }),
  },
  "POST /v1/alerts/:id/acknowledge": {
    own: async (ctx, n) => ({ path: `/v1/alerts/${await matrixAlert(ctx, "acme", n)}/acknowledge` }),
    foreign: async (ctx, n) => ({ path: `/v1/alerts/${await matrixAlert(ctx, "globex", n)}/acknowledge` }),
  },
  "POST /v1/alerts/:id/resolve": {
    own: async (ctx, n) => ({
      path: `/v1/alerts/${await matrixAlert(ctx, "acme", n)}/resolve`,
      body: { note: "matrix" },
    }),
    foreign: async (ctx, n) => ({
      path: `/v1/alerts/${await matrixAlert(ctx, "globex", n)}/resolve`,
      body: { note: "matrix" },
    }),
  },
  "POST /v1/streams": same("/v1/streams", {
    name: "matrix",
    destination: { type: "webhook", url: "http://127.0.0.1:9/hook" },
  }),
  "GET /v1/streams": same("/v1/streams"),
  "GET /v1/streams/:id": onStream(""),
  "POST /v1/streams/:id/pause": onStream("/pause"),
  "POST /v1/streams/:id/resume": onStream("/resume", "paused"),
  "POST /v1/streams/:id/rotate-secret": onStream("/rotate-secret"),
  "DELETE /v1/streams/:id": onStream(""),
  "GET /v1/events/:id/proof": {
    own: (ctx) => ({ path: `/v1/events/${ctx.world.acme.eventIds[3]}/proof` }),
    foreign: (ctx) => ({ path: `/v1/events/${ctx.world.globex.eventIds[3]}/proof` }),
  },
  "POST /v1/auth/logout": same("/v1/auth/logout"),

  "POST /publisher/v1/project/:projectId/event": retraced("", "/event", retracedEvent),
  "POST /publisher/v1/project/:projectId/event/bulk": retraced("", "/event/bulk", retracedBulk),
  "GET /publisher/v1/project/:projectId/viewertoken": retraced("", viewerTokenQuery),
  "POST /auditlog/publisher/v1/project/:projectId/event": retraced("/auditlog", "/event", retracedEvent),
  "POST /auditlog/publisher/v1/project/:projectId/event/bulk": retraced("/auditlog", "/event/bulk", retracedBulk),
  "GET /auditlog/publisher/v1/project/:projectId/viewertoken": retraced("/auditlog", viewerTokenQuery),
  "POST /audit_logs/events": {
    own: (_, n) => workosEvent("acme", n),
    foreign: (_, n) => workosEvent("globex", n),
  },
  "POST /audit_logs/actions/:action/schemas": {
    own: (_, n) => ({ path: `/audit_logs/actions/matrix.thing_${n}/schemas`, body: { targets: [{ type: "app" }] } }),
  },
  "POST /audit_logs/exports": {
    own: () => ({ path: "/audit_logs/exports", body: exportBody("acme") }),
    foreign: () => ({ path: "/audit_logs/exports", body: exportBody("globex") }),
  },
  "GET /audit_logs/exports/:id": {
    own: async (ctx, _, column) => ({ path: `/audit_logs/exports/${(await workosExport(ctx, column, "acme")).id}` }),
    foreign: async (ctx, _, column) => ({
      path: `/audit_logs/exports/${(await workosExport(ctx, column, "globex")).id}`,
    }),
  },
  "GET /audit_logs/exports/:id/csv": {
    // The URL is the credential: whoever holds it reads acme's CSV, whatever else they send.
    own: async (ctx, _, column) => {
      const url = new URL((await workosExport(ctx, column, "acme")).url);
      return { path: `${url.pathname}${url.search}` };
    },
  },

  "POST /v1/events": {
    own: (_, n) => ({ path: "/v1/events", body: event(`matrix_${n}`) }),
    // An id globex uses: acme's log has no such event, so it is created, never a duplicate of globex's.
    foreign: (ctx) => ({ path: "/v1/events", body: event(ctx.world.globex.eventIds[1] as string) }),
    checkForeign: (res) => {
      const status = (JSON.parse(res.text) as { results: { status: string }[] }).results[0]?.status;
      if (status !== "created") throw new Error(`an id globex uses was ${status} in acme, not created`);
    },
  },
  // Compat endpoints name the tenant in the request: acme's own, or globex's (refused for acme's keys).
  "POST /v1/logs": {
    own: (_, n) => ({ path: "/v1/logs", body: otlpExport(`matrix_otlp_${n}`, "acme") }),
    foreign: (_, n) => ({ path: "/v1/logs", body: otlpExport(`matrix_otlp_${n}`, "globex") }),
  },
  "POST /v1/cloudevents": {
    own: (_, n) => cloudEvent(`matrix_ce_${n}`, "acme"),
    foreign: (_, n) => cloudEvent(`matrix_ce_${n}`, "globex"),
  },
  "POST /opa/logs": { own: (_, n) => ({ path: "/opa/logs", body: opaUpload(n) }) },
  "POST /opa/logs/:partition": { own: (_, n) => ({ path: "/opa/logs/matrix", body: opaUpload(n) }) },
  "POST /k8s/audit": { own: (_, n) => ({ path: "/k8s/audit", body: k8sBatch(n) }) },
  // The URL names the tenant: acme's own key may name acme, never globex.
  "POST /k8s/audit/:tenant": both((tenant) => ({ path: `/k8s/audit/${tenant}`, body: k8sBatch(0) })),
  "GET /v1/events": {
    own: (ctx) => ({ path: `/v1/events?actor_id=${ctx.world.acme.actorId}` }),
    foreign: (ctx) => ({ path: `/v1/events?actor_id=${ctx.world.globex.actorId}` }),
    checkForeign: expectNoEvents,
  },
  "GET /v1/events/:id": {
    own: (ctx) => ({ path: `/v1/events/${ctx.world.acme.eventIds[3]}` }),
    foreign: (ctx) => ({ path: `/v1/events/${ctx.world.globex.eventIds[3]}` }),
  },
  "GET /v1/events/:id/trace": {
    own: (ctx) => ({ path: `/v1/events/${ctx.world.acme.chainId}/trace` }),
    foreign: (ctx) => ({ path: `/v1/events/${ctx.world.globex.chainId}/trace` }),
  },
  "GET /v1/targets/:type/:id/history": {
    own: (ctx) => ({ path: `/v1/targets/${ctx.world.acme.target.type}/${ctx.world.acme.target.id}/history` }),
    foreign: (ctx) => ({ path: `/v1/targets/${ctx.world.globex.target.type}/${ctx.world.globex.target.id}/history` }),
    checkForeign: expectNoEvents,
  },
  "GET /v1/stats": {
    own: (ctx) => ({ path: `/v1/stats?actor_id=${ctx.world.acme.actorId}` }),
    foreign: (ctx) => ({ path: `/v1/stats?actor_id=${ctx.world.globex.actorId}` }),
    checkForeign: (res) => {
      const total = (JSON.parse(res.text) as { total: number }).total;
      if (total !== 0) throw new Error(`acme's stats count ${total} events of globex's actor`);
    },
  },
  "GET /v1/automations": same("/v1/automations"),

  "GET /v1/log/checkpoint": same("/v1/log/checkpoint"),
  "GET /v1/log/checkpoints": same("/v1/log/checkpoints"),
  "GET /v1/log/key": same("/v1/log/key"),
  "GET /v1/log/entries": same("/v1/log/entries?start=0&end=3"),
  "GET /v1/log/proof/inclusion": same("/v1/log/proof/inclusion?index=0&size=2"),
  "GET /v1/log/proof/consistency": same("/v1/log/proof/consistency?from=1&to=2"),
  "POST /v1/log/verify": same("/v1/log/verify"),
  // Jobs live in the app that runs them: each is started in the asking column's app.
  "GET /v1/log/verify/:job": {
    own: async (ctx, _, column) => ({ path: `/v1/log/verify/${await verifyJob(ctx, column, "acme")}` }),
    foreign: async (ctx, _, column) => ({ path: `/v1/log/verify/${await verifyJob(ctx, column, "globex")}` }),
  },
  "GET /v1/export": same("/v1/export"),

  "GET /v1/schemas": same("/v1/schemas"),
  "GET /v1/schemas/:action": {
    own: (ctx) => ({ path: `/v1/schemas/${ctx.world.acme.schemaAction}` }),
    foreign: (ctx) => ({ path: `/v1/schemas/${ctx.world.globex.schemaAction}` }),
  },
  "POST /v1/schemas": {
    own: (_, n) => ({
      path: "/v1/schemas",
      body: { action: `matrix.thing${n}`, version: 1, kind: "update", category: "configuration", defaultRisk: "low" },
    }),
  },
  "GET /v1/keys": same("/v1/keys"),
  "POST /v1/keys": { own: (_, n) => ({ path: "/v1/keys", body: { role: "viewer", name: `matrix ${n}` } }) },
  "DELETE /v1/keys/:keyId": {
    own: async (ctx, n) => {
      const tenantId = (await ctx.data.ledger.tenantRecord("acme")).tenantId;
      const doomed = await issueApiKey(ctx.data.access, {
        tenantId,
        role: "viewer",
        name: `doomed ${n}`,
        createdBy: "matrix",
      });
      return { path: `/v1/keys/${doomed.record.keyId}` };
    },
    foreign: (ctx) => ({ path: `/v1/keys/${ctx.world.globex.keyIds.viewer}` }),
  },
  "GET /v1/settings": same("/v1/settings"),
  "PATCH /v1/settings": same("/v1/settings", { unknown_actions: "reject" }),
  "GET /v1/people": same("/v1/people"),
  "POST /v1/people": {
    own: (_, n) => ({
      path: "/v1/people",
      body: { username: `matrix-${n}`, display_name: "Matrix", role: "viewer", password: PASSWORD },
    }),
  },
  "DELETE /v1/people/:username": {
    own: async (ctx, n) => ({ path: `/v1/people/${await throwawayPerson(ctx, n)}` }),
    foreign: (ctx) => ({ path: `/v1/people/${ctx.world.globex.person}` }),
  },
  "POST /v1/viewer-tokens": same("/v1/viewer-tokens", { viewer: { id: "matrix-viewer" } }),
  "GET /v1/viewer-tokens": same("/v1/viewer-tokens"),
  "GET /v1/auth/whoami": same("/v1/auth/whoami"),
  "POST /v1/log/key/rotate": same("/v1/log/key/rotate", { reason: "matrix" }),
  "GET /v1/approvals": same("/v1/approvals"),
  "GET /v1/approvals/:id": {
    own: async (ctx, n) => ({ path: `/v1/approvals/${await pendingApproval(ctx, "acme", n)}` }),
    foreign: async (ctx, n) => ({ path: `/v1/approvals/${await pendingApproval(ctx, "globex", n)}` }),
  },
  "POST /v1/approvals/:id/approve": {
    own: async (ctx, n) => ({ path: `/v1/approvals/${await pendingApproval(ctx, "acme", n)}/approve` }),
    foreign: async (ctx, n) => ({ path: `/v1/approvals/${await pendingApproval(ctx, "globex", n)}/approve` }),
  },
  "POST /v1/approvals/:id/reject": {
    own: async (ctx, n) => ({ path: `/v1/approvals/${await pendingApproval(ctx, "acme", n)}/reject` }),
    foreign: async (ctx, n) => ({ path: `/v1/approvals/${await pendingApproval(ctx, "globex", n)}/reject` }),
  },
  "GET /v1/tenants/:tenant/dual-control": same("/v1/tenants/acme/dual-control"),
  "GET /v1/tenants/:tenant/retention": both((t) => ({ path: `/v1/tenants/${t}/retention` })),
  "PUT /v1/tenants/:tenant/retention": both((t) => ({
    path: `/v1/tenants/${t}/retention`,
    body: { rules: [{ match: "category", value: "access", keep_days: 365 }], reason: "matrix" },
  })),
  "POST /v1/tenants/:tenant/retention/prune": {
    ...both((t) => ({ path: `/v1/tenants/${t}/retention/prune` })),
    // Only the operator may name globex: it learns that globex has nothing due, and nothing changed.
    checkForeign(res) {
      const { prune } = JSON.parse(res.text) as { prune: { tenant: string; entries: number } };
      if (prune.tenant !== "globex" || prune.entries !== 0) throw new Error(`unexpected prune of globex: ${res.text}`);
    },
  },
  "POST /v1/tenants/:tenant/legal-holds": both((t) => ({
    path: `/v1/tenants/${t}/legal-holds`,
    body: { scope: { type: "actor", actor_id: "usr_matrix" }, reason: "matrix" },
  })),
  "GET /v1/tenants/:tenant/legal-holds": both((t) => ({ path: `/v1/tenants/${t}/legal-holds` })),
  "POST /v1/tenants/:tenant/legal-holds/:id/lift": {
    own: async (ctx, n) => ({
      path: `/v1/tenants/acme/legal-holds/${await matrixHold(ctx, "acme", n)}/lift`,
      body: { reason: "matrix" },
    }),
    foreign: async (ctx, n) => ({
      path: `/v1/tenants/globex/legal-holds/${await matrixHold(ctx, "globex", n)}/lift`,
      body: { reason: "matrix" },
    }),
  },
  "POST /v1/pseudonyms/resolve": {
    // The pseudonym of an actor only that tenant's entries name: acme's resolves, globex's is nobody in acme.
    own: async (ctx) => ({
      path: "/v1/pseudonyms/resolve",
      body: { pseudonym: await ctx.data.ledger.pseudonyms.pseudonym("acme", ctx.world.acme.actorId), reason: "matrix" },
    }),
    foreign: async (ctx) => ({
      path: "/v1/pseudonyms/resolve",
      body: {
        pseudonym: await ctx.data.ledger.pseudonyms.pseudonym("globex", ctx.world.globex.actorId),
        reason: "matrix",
      },
    }),
  },
  "POST /v1/erasures": { own: (_ctx, n) => ({ path: "/v1/erasures", body: { subject: { id: `usr_matrix_${n}` } } }) },
  "GET /v1/erasures": same("/v1/erasures"),
  "GET /v1/erasures/:id": {
    own: async (ctx, n) => ({ path: `/v1/erasures/${await matrixErasure(ctx, "acme", n)}` }),
    foreign: async (ctx, n) => ({ path: `/v1/erasures/${await matrixErasure(ctx, "globex", n)}` }),
  },
  "PUT /v1/tenants/:tenant/dual-control": same("/v1/tenants/acme/dual-control", {
    single_admin: false,
    reason: "matrix",
  }),

  "POST /v1/channels": same("/v1/channels", { name: "matrix", url: "http://127.0.0.1:9/hook" }),
  "GET /v1/channels": same("/v1/channels"),
  "GET /v1/channels/:id": onChannel(""),
  "PATCH /v1/channels/:id": onChannel("", { enabled: false }),
  "DELETE /v1/channels/:id": onChannel(""),
  "POST /v1/channels/:id/rotate-secret": onChannel("/rotate-secret"),
  "POST /v1/channels/:id/test": onChannel("/test"),
  "GET /v1/deliveries": same("/v1/deliveries?status=dead"),
  "GET /v1/deliveries/:id": {
    own: async (ctx, n) => ({ path: `/v1/deliveries/${await deadDelivery(ctx, "acme", n)}` }),
    foreign: async (ctx, n) => ({ path: `/v1/deliveries/${await deadDelivery(ctx, "globex", n)}` }),
  },
  "POST /v1/deliveries/:id/redrive": {
    own: async (ctx, n) => ({ path: `/v1/deliveries/${await deadDelivery(ctx, "acme", n)}/redrive` }),
    foreign: async (ctx, n) => ({ path: `/v1/deliveries/${await deadDelivery(ctx, "globex", n)}/redrive` }),
  },
  "POST /v1/operator/channels": same("/v1/operator/channels", { name: "on-call", url: "http://127.0.0.1:9/hook" }),
  "GET /v1/operator/channels": same("/v1/operator/channels"),
  "DELETE /v1/operator/channels/:id": {
    own: async (ctx, n) => ({ path: `/v1/operator/channels/${await matrixChannel(ctx, null, n)}` }),
  },
};

/** A report generated in `tenant` by its own admin (one per tenant: GET regenerates it). */
const matrixReports = new Map<string, Promise<string>>();
function matrixReport(ctx: MatrixContext, tenant: "acme" | "globex"): Promise<string> {
  let id = matrixReports.get(tenant);
  if (!id) {
    id = expectJson<{ report_id: string }>(
      ctx.send,
      { method: "POST", path: "/v1/reports", key: ctx.world[tenant].keys.admin, body: MATRIX_REPORT },
      200,
    ).then((r) => r.report_id);
    matrixReports.set(tenant, id);
  }
  return id;
}

/** A fresh report schedule of `tenant`, straight in the store. */
async function matrixSchedule(ctx: MatrixContext, tenant: "acme" | "globex", n: number): Promise<string> {
  const tenantId = (await ctx.data.ledger.tenantRecord(tenant)).tenantId;
  const scheduleId = `rsc_matrix_${tenant}_${n}`;
  const now = new Date().toISOString();
  await ctx.data.reports.insertSchedule({
    scheduleId,
    tenantId,
    name: "matrix",
    cron: MATRIX_SCHEDULE.cron,
    period: MATRIX_SCHEDULE.period,
    definition: MATRIX_SCHEDULE.definition,
    channelIds: [],
    enabled: true,
    createdBy: "test",
    createdAt: now,
    updatedAt: now,
    lastFiredAt: null,
    lastReportId: null,
  });
  return scheduleId;
}

/** A fresh channel of `tenant` (null: the operator's), made in the store; its URL refuses connections. */
async function matrixChannel(ctx: MatrixContext, tenant: "acme" | "globex" | null, n: number): Promise<string> {
  const tenantId = tenant === null ? null : (await ctx.data.ledger.tenantRecord(tenant)).tenantId;
  const channelId = `chn_matrix_${tenant ?? "operator"}_${n}`;
  const at = new Date().toISOString();
  await ctx.data.notifications.insertChannel(
    {
      channelId,
      tenantId,
      name: "matrix",
      kind: "webhook",
      format: "native",
      url: "http://127.0.0.1:9/hook",
      enabled: true,
      createdAt: at,
      createdBy: "test",
      updatedAt: at,
      updatedBy: "test",
    },
    "whsec_matrix",
  );
  return channelId;
}

/** A fresh webhook stream of `tenant`, made in the store; its URL refuses connections. */
async function matrixStream(
  ctx: MatrixContext,
  tenant: "acme" | "globex",
  n: number,
  status: "active" | "paused",
): Promise<string> {
  const tenantId = (await ctx.data.ledger.tenantRecord(tenant)).tenantId;
  const streamId = `str_matrix_${tenant}_${n}`;
  const at = new Date().toISOString();
  await ctx.data.streams.insertStream(
    {
      streamId,
      tenantId,
      name: "matrix",
      destinationType: "webhook",
      destination: { type: "webhook", url: "http://127.0.0.1:9/hook" },
      format: "native",
      filter: "",
      personal: "drop",
      status,
      hasSecret: true,
      createdAt: at,
      createdBy: "test",
      updatedAt: at,
      updatedBy: "test",
    },
    0,
    "whsec_matrix",
  );
  return streamId;
}

function onStream(tail: string, status: "active" | "paused" = "active"): RouteRequests {
  return {
    own: async (ctx, n) => ({ path: `/v1/streams/${await matrixStream(ctx, "acme", n, status)}${tail}` }),
    foreign: async (ctx, n) => ({ path: `/v1/streams/${await matrixStream(ctx, "globex", n, status)}${tail}` }),
  };
}

function onChannel(tail: string, body?: unknown): RouteRequests {
  return {
    own: async (ctx, n) => ({
      path: `/v1/channels/${await matrixChannel(ctx, "acme", n)}${tail}`,
      ...(body ? { body } : {}),
    }),
    foreign: async (ctx, n) => ({
      path: `/v1/channels/${await matrixChannel(ctx, "globex", n)}${tail}`,
      ...(body ? { body } : {}),
    }),
  };
}

/** A fresh dead letter of `tenant` (the matrix's apps send nothing: notifyPollMs 0). */
async function deadDelivery(ctx: MatrixContext, tenant: "acme" | "globex", n: number): Promise<string> {
  const channelId = await matrixChannel(ctx, tenant, n);
  const store = ctx.data.notifications;
  const at = new Date().toISOString();
  await store.enqueue(
    (await ctx.data.ledger.tenantRecord(tenant)).tenantId,
    [
      {
        key: `matrix:${n}`,
        kind: "alert.raise",
        sourceEventId: null,
        sourceIndex: null,
        payload: {},
        channelIds: [channelId],
      },
    ],
    at,
  );
  // Claimed until `at`: whatever else is due stays claimable at once.
  const claimed = (await store.claimDue(new Date().toISOString(), at, "matrix", 1000)).find(
    (d) => d.channelId === channelId,
  );
  if (!claimed) throw new Error("the matrix's delivery was not claimed");
  const attempt = { deliveryId: claimed.deliveryId, attempt: 1, at, httpStatus: null, error: "refused", durationMs: 1 };
  await store.recordAttempt(claimed, attempt, { status: "dead", nextAttemptAt: at, lastError: "refused" });
  return claimed.deliveryId;
}

/**
 * A fresh pending rotation of `tenant`'s signing key, asked by someone no
 * credential of the matrix stands for, so any admin column may approve it.
 */
async function pendingApproval(ctx: MatrixContext, tenant: "acme" | "globex", n: number): Promise<string> {
  const tenantId = (await ctx.data.ledger.tenantRecord(tenant)).tenantId;
  const approvalId = `apr_matrix_${tenant}_${n}`;
  const now = Date.now();
  await ctx.data.approvals.insertApproval({
    approvalId,
    tenantId,
    action: "signing_key.rotate",
    request: { reason: "matrix" },
    requestedBy: "key_elsewhere",
    requesterOwner: "person:someone-else",
    status: "pending",
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 3_600_000).toISOString(),
    decidedBy: null,
    decidedAt: null,
    outcome: null,
  });
  return approvalId;
}

/** A fresh rule of `tenant` (version 1), made by nobody the matrix stands for. */
async function matrixRule(ctx: MatrixContext, tenant: "acme" | "globex", n: number): Promise<string> {
  const tenantId = (await ctx.data.ledger.tenantRecord(tenant)).tenantId;
  const ruleId = `rul_matrix_${tenant}_${n}`;
  await ctx.data.rules.insertRuleVersion({
    ruleId,
    tenantId,
    version: 1,
    definition: MATRIX_RULE,
    deleted: false,
    by: "service_account:key_elsewhere",
    at: new Date().toISOString(),
    logIndex: 0,
  });
  return ruleId;
}

/** A fresh open alert of `tenant`. */
async function matrixAlert(ctx: MatrixContext, tenant: "acme" | "globex", n: number): Promise<string> {
  const tenantId = (await ctx.data.ledger.tenantRecord(tenant)).tenantId;
  const alertId = `alr_matrix_${tenant}_${n}`;
  const at = new Date().toISOString();
  await ctx.data.rules.insertAlerts([
    {
      alertId,
      tenantId,
      ruleId: "rul_matrix",
      raised: {
        id: alertId,
        rule_id: "rul_matrix",
        rule_version: 1,
        type: "threshold",
        severity: "low",
        message: "matrix",
        matched_event_ids: [],
        group: null,
        occurred_at: at,
        window_start: null,
        window_end: null,
      },
      logIndex: 0,
      raisedAt: at,
      status: "open",
      acknowledgedBy: null,
      acknowledgedAt: null,
      resolvedBy: null,
      resolvedAt: null,
      resolutionIndex: null,
    },
  ]);
  return alertId;
}

async function verifyJob(ctx: MatrixContext, column: Column, tenant: "acme" | "globex"): Promise<string> {
  const started = await expectJson<{ job_id: string }>(
    ctx.sendAs(column),
    { method: "POST", path: "/v1/log/verify", key: ctx.world[tenant].keys.auditor },
    202,
  );
  return started.job_id;
}

function expectNoEvents(res: Reply): void {
  const events = (JSON.parse(res.text) as { events: unknown[] }).events;
  if (events.length !== 0) throw new Error(`acme's answer lists ${events.length} of globex's events`);
}
