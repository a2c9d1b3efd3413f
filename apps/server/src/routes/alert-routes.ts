// Alerts over HTTP (docs/alerts.md): what the rules raised, newest first
// (admin, auditor), and their lifecycle (admin): open, acknowledged by whom,
// resolved with a note. Each step is one compare-and-set on the alert and an
// alert.acknowledge / alert.resolve event in the tenant's log.
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { TrailproofError } from "@trailproof/core";
import type { AlertRecord, Ledger } from "@trailproof/ledger";
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
import { tenantOf } from "../auth/authenticate.js";
import type { AppDeps } from "../deps.js";

const common = { tags: ["alerts"], security: [{ bearer: [] }] };

/**
 * `a` on the wire. Its resolution note is read from its alert.resolve entry,
 * where it is a sealed personal value: erased with its subject, it reads as null.
 */
export async function toWireAlert(ledger: Ledger, tenant: string, a: AlertRecord): Promise<WireAlert> {
  let note: string | null = null;
  if (a.resolutionIndex !== null) {
    const opened = await ledger.openDisclosures(tenant, a.resolutionIndex);
    const value = opened.find((d) => d.pointer === "/metadata/note");
    if (value?.state === "value" && typeof value.value === "string") note = value.value;
  }
  return {
    ...(a.raised as unknown as WireRaisedAlert),
    status: a.status,
    log_index: a.logIndex,
    raised_at: a.raisedAt,
    acknowledged_by: a.acknowledgedBy,
    acknowledged_at: a.acknowledgedAt,
    resolved_by: a.resolvedBy,
    resolved_at: a.resolvedAt,
    resolution_note: note,
  };
}

export function registerAlertRoutes(app: FastifyInstance, deps: AppDeps, audit: MetaAudit): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { rules, ledger } = deps;

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
      const tenant = tenantOf(request);
      return { alerts: await Promise.all(list.map((a) => toWireAlert(ledger, tenant, a))) };
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
    async (request) => ({
      alert: await toWireAlert(
        ledger,
        tenantOf(request),
        await find(request.principal?.tenantId as number, request.params.id),
      ),
    }),
  );

  /** One lifecycle step: the compare-and-set, then its event (the step is taken once, so recorded once). */
  const step = async (request: FastifyRequest, alertId: string, to: "acknowledged" | "resolved", note?: string) => {
    const principal = request.principal;
    const tenantId = principal?.tenantId as number;
    const alert = await find(tenantId, alertId);
    const by = `${principal?.actor.type}:${principal?.actor.id}`;
    const outcome = await rules.transitionAlert(tenantId, alertId, { to, by, at: new Date().toISOString() });
    if (outcome === "not_found") throw new TrailproofError("ALERT_NOT_FOUND", `no alert ${JSON.stringify(alertId)}`);
    if (outcome === "not_allowed") {
      const now = await find(tenantId, alertId);
      throw new TrailproofError(
        "ALERT_TRANSITION_INVALID",
        `alert ${alertId} is ${now.status}; it cannot become ${to}`,
      );
    }
    const recorded = await audit.record(request, {
      action: to === "acknowledged" ? "alert.acknowledge" : "alert.resolve",
      target: { type: "alert", id: alertId },
      metadata: { rule_id: alert.ruleId, ...(note === undefined ? {} : { note }) },
    });
    // The note stays in the log only (a sealed personal value); the alert keeps where to read it.
    if (
      to === "resolved" &&
      recorded !== undefined &&
      recorded.status !== "rejected" &&
      recorded.status !== "withheld"
    ) {
      await rules.recordResolution(tenantId, alertId, recorded.index);
    }
    return { alert: await toWireAlert(ledger, tenantOf(request), await find(tenantId, alertId)) };
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
