// Alerts over HTTP (docs/alerts.md): what the rules raised, newest first
// (admin, auditor), and their lifecycle (admin): open, acknowledged by whom,
// resolved with a note. Each step is one compare-and-set on the alert and an
// alert.acknowledge / alert.resolve event in the tenant's log.
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { TrailproofError } from "@trailproof/core";
import type { AlertRecord } from "@trailproof/ledger";
import {
  AlertListQuerySchema,
  AlertListSchema,
  AlertParamsSchema,
  AlertResolveBodySchema,
  AlertResponseSchema,
  ProblemResponses,
  type WireAlert,
  type WireRaisedAlert,
} from "@trailproof/protocol";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { MetaAudit } from "../audit/meta-audit.js";
import type { AppDeps } from "../deps.js";

const common = { tags: ["alerts"], security: [{ bearer: [] }] };

export function toWireAlert(a: AlertRecord): WireAlert {
  return {
    ...(a.raised as unknown as WireRaisedAlert),
    status: a.status,
    log_index: a.logIndex,
    raised_at: a.raisedAt,
    acknowledged_by: a.acknowledgedBy,
    acknowledged_at: a.acknowledgedAt,
    resolved_by: a.resolvedBy,
    resolved_at: a.resolvedAt,
    resolution_note: a.resolutionNote,
  };
}

export function registerAlertRoutes(app: FastifyInstance, deps: AppDeps, audit: MetaAudit): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { rules } = deps;

  const find = async (tenantId: number, alertId: string) => {
    const alert = await rules.findAlert(tenantId, alertId);
    if (alert === undefined)
      throw new TrailproofError("ALERT_NOT_FOUND", `no alert ${JSON.stringify(alertId)} in this tenant`);
    return alert;
  };

  api.get(
    "/v1/alerts",
    {
      config: { permission: "verify" },
      schema: {
        ...common,
        summary: "Alerts the tenant's rules raised, newest first",
        querystring: AlertListQuerySchema,
        response: { 200: AlertListSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const { status, rule, limit = 100 } = request.query;
      const list = await rules.listAlerts(request.principal?.tenantId as number, {
        ...(status ? { status } : {}),
        ...(rule ? { ruleId: rule } : {}),
        limit,
      });
      return { alerts: list.map(toWireAlert) };
    },
  );

  api.get(
    "/v1/alerts/:id",
    {
      config: { permission: "verify" },
      schema: {
        ...common,
        summary: "One alert",
        params: AlertParamsSchema,
        response: { 200: AlertResponseSchema, ...ProblemResponses },
      },
    },
    async (request) => ({ alert: toWireAlert(await find(request.principal?.tenantId as number, request.params.id)) }),
  );

  /** One lifecycle step: the compare-and-set, then its event (the step is taken once, so recorded once). */
  const step = async (request: FastifyRequest, alertId: string, to: "acknowledged" | "resolved", note?: string) => {
    const principal = request.principal;
    const tenantId = principal?.tenantId as number;
    const alert = await find(tenantId, alertId);
    const by = `${principal?.actor.type}:${principal?.actor.id}`;
    const outcome = await rules.transitionAlert(tenantId, alertId, {
      to,
      by,
      at: new Date().toISOString(),
      ...(note === undefined ? {} : { note }),
    });
    if (outcome === "not_found") throw new TrailproofError("ALERT_NOT_FOUND", `no alert ${JSON.stringify(alertId)}`);
    if (outcome === "not_allowed") {
      const now = await find(tenantId, alertId);
      throw new TrailproofError(
        "ALERT_TRANSITION_INVALID",
        `alert ${alertId} is ${now.status}; it cannot become ${to}`,
      );
    }
    await audit.record(request, {
      action: to === "acknowledged" ? "alert.acknowledge" : "alert.resolve",
      target: { type: "alert", id: alertId },
      metadata: { rule_id: alert.ruleId, ...(note === undefined ? {} : { note }) },
    });
    return { alert: toWireAlert(await find(tenantId, alertId)) };
  };

  api.post(
    "/v1/alerts/:id/acknowledge",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "Acknowledge an open alert",
        params: AlertParamsSchema,
        response: { 200: AlertResponseSchema, ...ProblemResponses },
      },
    },
    async (request) => step(request, request.params.id, "acknowledged"),
  );

  api.post(
    "/v1/alerts/:id/resolve",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "Resolve an open or acknowledged alert, with a note",
        params: AlertParamsSchema,
        body: AlertResolveBodySchema,
        response: { 200: AlertResponseSchema, ...ProblemResponses },
      },
    },
    async (request) => step(request, request.params.id, "resolved", request.body?.note),
  );
}
