// buildApp(deps): the whole HTTP service without listen(), so tests drive it
// with app.inject() on a real store and main.ts wires the real drivers.
import { randomUUID } from "node:crypto";
import cookie from "@fastify/cookie";
import cors from "@fastify/cors";
import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { Pruner } from "@trailproof/ledger";
import Fastify, { type FastifyInstance } from "fastify";
import { alertFollowerOf } from "./alerts/register-alert-follower.js";
import { DualControl } from "./approvals/dual-control.js";
import { MetaAudit } from "./audit/meta-audit.js";
import { registerAuthentication } from "./auth/authenticate.js";
import { platformTenantHint } from "./compat/choose-tenant.js";
import { registerCompatRoutes } from "./compat/register-compat-routes.js";
import type { AppDeps } from "./deps.js";
import { registerGovernanceRoutes } from "./governance/governance-routes.js";
import { AccessLog } from "./http/access-log.js";
import { buildClientErrorHandler } from "./http/client-error.js";
import { connectionLimits, MAX_HEADER_BYTES } from "./http/connection-limits.js";
import { registerConsole } from "./http/console-static.js";
import { registerIngestAdmission } from "./http/ingest-admission.js";
import { registerJsonBodyParser } from "./http/json-body.js";
import { requestLabels } from "./http/metrics.js";
import { registerNodeLevelAnswers } from "./http/node-level-answers.js";
import { registerProblemHandlers, sendProblem } from "./http/problem.js";
import { recordRouteTable } from "./http/route-table.js";
import { sharedRateLimitStore } from "./http/shared-rate-limit-store.js";
import { registerStrictQueryIntegers } from "./http/strict-query-integers.js";
import { registerNotifications } from "./notify/register-notify.js";
import { registerReportRoutes } from "./reports/report-routes.js";
import { ReportScheduler } from "./reports/report-schedule.js";
import { registerReportScheduleRoutes } from "./reports/report-schedule-routes.js";
import { PruneSchedule } from "./retention/prune-schedule.js";
import { registerAdminRoutes } from "./routes/admin-routes.js";
import { registerAlertRoutes } from "./routes/alert-routes.js";
import { registerApprovalRoutes } from "./routes/approval-routes.js";
import { registerAuthRoutes } from "./routes/auth-routes.js";
import { registerAutomationRoutes } from "./routes/automation-routes.js";
import { registerErasureRoutes } from "./routes/erasure-routes.js";
import { registerEventProofRoutes } from "./routes/event-proof-routes.js";
import { registerEventRoutes } from "./routes/event-routes.js";
import { registerExportRoutes } from "./routes/export-routes.js";
import { registerHealthRoutes } from "./routes/health-routes.js";
import { registerIngestRoutes } from "./routes/ingest-routes.js";
import { registerLogRoutes } from "./routes/log-routes.js";
import { registerPeopleRoutes } from "./routes/people-routes.js";
import { registerPlatformKeyRoutes } from "./routes/platform-key-routes.js";
import { registerPseudonymRoutes } from "./routes/pseudonym-routes.js";
import { registerReadYourWrites } from "./routes/read-your-writes.js";
import { registerRetentionRoutes } from "./routes/retention-routes.js";
import { registerRuleRoutes } from "./routes/rule-routes.js";
import { registerStatsRoutes } from "./routes/stats-routes.js";
import { registerTargetRoutes } from "./routes/target-routes.js";
import { registerTenantRoutes } from "./routes/tenant-routes.js";
import { registerVerifyRoutes } from "./routes/verify-routes.js";
import { registerViewerTokenRoutes } from "./routes/viewer-token-routes.js";
import { registerStreams } from "./streams/register-streams.js";
import { SelfCheckSchedule } from "./verify/self-check-schedule.js";
import { registerWitnessSubmitter } from "./witness/register-witness-submitter.js";

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const refuseUnparsed = buildClientErrorHandler(
    {
      headersTimeoutMs: config.headersTimeoutMs,
      requestTimeoutMs: config.requestTimeoutMs,
      maxHeaderBytes: MAX_HEADER_BYTES,
    },
    () => app.log,
  );
  const app: FastifyInstance = Fastify({
    logger:
      deps.logger === false
        ? false
        : {
            level: typeof deps.logger === "object" ? deps.logger.level : deps.config.logLevel,
            // Audit payloads are customer data and keys are secrets: neither is logged.
            redact: ["req.headers.authorization", "req.headers.cookie"],
          },
    // Access lines only on request (TRAILPROOF_ACCESS_LOG): requests are counted in /metrics.
    logController: new AccessLog({ enabled: deps.config.accessLog }),
    bodyLimit: deps.config.maxBodyBytes,
    ...connectionLimits(config),
    // What Node's parser refuses before a route runs is problem+json too.
    clientErrorHandler: refuseUnparsed,
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : randomUUID();
    },
    // Event ids reach 128 characters and target ids 256, percent-encoded in paths.
    // Duplicate slashes are one: Retraced's client joins an endpoint ending in
    // `/` to `/publisher/...` as `//publisher/...` (docs/compat.md).
    routerOptions: { maxParamLength: 4096, ignoreDuplicateSlashes: true },
    // While closing, requests get our own problem+json 503 (below), not Fastify's.
    return503OnClosing: false,
    frameworkErrors: (err, request, reply) => {
      sendProblem(request, reply, "REQUEST_INVALID", `the request could not be routed: ${err.message}`);
    },
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: "array", useDefaults: true } },
  });
  recordRouteTable(app);
  registerNodeLevelAnswers(app);
  registerStrictQueryIntegers(app);
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  app.addHook("onResponse", async (request, reply) => {
    deps.metrics.httpRequests.inc(requestLabels(request.routeOptions.url, request.method, reply.statusCode));
  });
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onRequest", async (request, reply) => {
    if (!closing) return;
    reply.header("retry-after", "1").header("connection", "close");
    return sendProblem(request, reply, "SERVICE_UNAVAILABLE", "the service is shutting down; retry shortly");
  });

  // The console and the API get a strict CSP (set in console-static.ts);
  // the API reference page brings its own (swagger-ui's staticCSP).
  registerJsonBodyParser(app);
  await app.register(helmet, { contentSecurityPolicy: false });
  await app.register(cookie);
  const spaFallback = await registerConsole(app, {
    consoleDir: deps.config.consoleDir,
    embedOrigins: deps.config.embedOrigins,
  });
  registerProblemHandlers(app, spaFallback);
  if (deps.config.corsOrigins.length > 0) {
    await app.register(cors, { origin: deps.config.corsOrigins, allowedHeaders: ["authorization", "content-type"] });
  }
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Trailproof API",
        version: "1",
        description:
          "Tamper-evident audit logs. Every endpoint but the operations ones takes `Authorization: Bearer <key>`; the key's tenant and role decide what it may do. Errors are RFC 9457 problem+json with every problem listed. Sizes and indexes are JSON numbers below 2^53; hashes are standard base64.",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs", staticCSP: true });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  registerAuthentication(app, deps);
  registerIngestAdmission(app, deps);
  registerReadYourWrites(app, deps);
  await app.register(rateLimit, {
    global: true,
    hook: "preHandler",
    max: deps.config.rateLimitPerMinute,
    timeWindow: 60_000,
    // Counted across every node: a client spreading requests over nodes gets the same limit.
    store: sharedRateLimitStore(deps.shared),
    // A platform key stands for many tenants' ingest keys: counted per tenant it names in X-Trailproof-Tenant.
    keyGenerator: (request) => {
      const hint = platformTenantHint(request.principal, request.headers);
      return hint === undefined ? (request.principal?.id ?? request.ip) : `${request.principal?.id}/${hint}`;
    },
    allowList: (request) => request.routeOptions.config.permission === undefined,
  });

  deps.metrics.bindLedger(deps.ledger);
  deps.ledger.readDivergences.on((d) => app.log.error(d, "a stored row contradicts its leaf: left out of the read"));
  const audit = new MetaAudit(deps.ledger, deps.shared);
  registerHealthRoutes(app, deps);
  registerTenantRoutes(app, deps);
  registerPlatformKeyRoutes(app, deps);
  registerAuthRoutes(app, deps);
  registerIngestRoutes(app, deps);
  await registerCompatRoutes(app, deps);
  registerEventRoutes(app, deps, audit);
  registerEventProofRoutes(app, deps, audit);
  registerTargetRoutes(app, deps, audit);
  registerStatsRoutes(app, deps, audit);
  registerGovernanceRoutes(app, deps, audit);
  registerLogRoutes(app, deps, audit);
  registerVerifyRoutes(app, deps, audit);
  registerExportRoutes(app, deps, audit);
  registerAdminRoutes(app, deps, audit);
  registerPeopleRoutes(app, deps, audit);
  registerViewerTokenRoutes(app, deps, audit);
  registerPseudonymRoutes(app, deps, audit);
  registerAutomationRoutes(app, deps, audit);
  const dualControl = new DualControl(deps, audit);
  registerApprovalRoutes(app, deps, audit, dualControl);
  const now = deps.retentionNow ?? Date.now;
  const pruner = new Pruner(deps.ledger, deps.retention);
  registerRetentionRoutes(app, deps, audit, dualControl, pruner, now);
  const waitForSearch = deps.waitForSearch;
  const prune = new PruneSchedule(
    {
      ...deps,
      pruner,
      now,
      log: app.log,
      ...(waitForSearch ? { searchCovers: (id: number, size: number) => waitForSearch(id, size, 5000) } : {}),
    },
    deps.config.pruneIntervalMs,
  );
  app.addHook("onReady", async () => prune.start());
  app.addHook("onClose", async () => prune.stop());
  registerErasureRoutes(app, deps, audit, dualControl);
  registerReportRoutes(app, deps, audit);
  registerReportScheduleRoutes(app, deps, audit);
  const reportScheduler = new ReportScheduler({ ...deps, log: app.log });
  app.addHook("onReady", async () => reportScheduler.start());
  app.addHook("onClose", async () => reportScheduler.stop());
  registerRuleRoutes(app, deps, audit);
  registerAlertRoutes(app, deps, audit);
  // Alert rules follow the log (never the ingest path); one follower per ledger, however many apps share it.
  const alerts = alertFollowerOf(deps, (err) => app.log.error(err, "alert rules' tick failed"));
  app.addHook("onReady", async () => alerts.start());
  app.addHook("onClose", async () => alerts.stop());
  const operatorAlerts = registerNotifications(app, deps, audit);
  registerStreams(app, deps, audit);
  const selfCheck = new SelfCheckSchedule(
    { ...deps, log: app.log, onFailure: (result, slot) => operatorAlerts.selfCheckFailed(result, slot) },
    deps.config.selfCheckIntervalMs,
  );
  app.addHook("onReady", async () => selfCheck.start());
  app.addHook("onClose", async () => selfCheck.stop());
  registerWitnessSubmitter(app, deps);
  return app;
}
