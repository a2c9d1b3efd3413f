// Alert rules over HTTP (docs/alerts.md): list and read them (admin,
// auditor), create, change and delete them (admin), each change a
// rule.create/update/delete event carrying the whole definition, whose log
// index the version keeps: the rule is evaluated from the entry after it.
// A back-test replays a period of history through a fresh engine.
import { randomBytes } from "node:crypto";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { TrailproofError } from "@trailproof/core";
import type { RuleVersionRecord } from "@trailproof/ledger";
import {
  BacktestQuerySchema,
  type BacktestResponse,
  BacktestResponseSchema,
  ProblemResponses,
  parseFilterDate,
  type RuleDefinition,
  RuleDefinitionSchema,
  RuleListSchema,
  RuleParamsSchema,
  RuleResponseSchema,
  RuleVersionListSchema,
} from "@trailproof/protocol";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { verifyRuleDefinition } from "../alerts/rule-validation.js";
import { ruleVersionOfEntry, toWireRule } from "../alerts/rule-versions.js";
import { runBacktest } from "../alerts/run-backtest.js";
import type { MetaAudit } from "../audit/meta-audit.js";
import { tenantOf } from "../auth/authenticate.js";
import type { AppDeps } from "../deps.js";

const common = { tags: ["alerts"], security: [{ bearer: [] }] };

export function registerRuleRoutes(app: FastifyInstance, deps: AppDeps, audit: MetaAudit): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { rules, ledger } = deps;
  /** Per tenant, the rule change in progress here: versions are numbered one at a time. */
  const changing = new Map<number, Promise<unknown>>();

  const versionsOf = async (tenantId: number, ruleId: string): Promise<RuleVersionRecord[]> => {
    const versions = await rules.ruleVersions(tenantId, ruleId);
    if (versions.length === 0) {
      throw new TrailproofError("RULE_NOT_FOUND", `no rule ${JSON.stringify(ruleId)} in this tenant`);
    }
    return versions;
  };

  /**
   * Appends the change's event, then stores the version its entry makes (the
   * follower derives the same one from the entry). Changes of one tenant are
   * numbered one at a time here; a change made at once on another node
   * answers RULE_VERSION_CONFLICT.
   */
  const change = (
    request: FastifyRequest,
    ruleId: string,
    verb: "create" | "update" | "delete",
    after: RuleDefinition | undefined,
  ): Promise<RuleVersionRecord[]> => {
    const tenantId = request.principal?.tenantId as number;
    const run = async () => {
      let version = 1;
      let before: RuleDefinition | undefined;
      if (verb !== "create") {
        const versions = await versionsOf(tenantId, ruleId);
        const current = versions[versions.length - 1] as RuleVersionRecord;
        if (current.deleted) throw new TrailproofError("RULE_DELETED", `rule ${ruleId} is deleted`);
        version = current.version + 1;
        before = current.definition as unknown as RuleDefinition;
      }
      const name = (after ?? before)?.name ?? ruleId;
      const result = await audit.record(request, {
        action: `rule.${verb}`,
        target: { type: "alert_rule", id: ruleId, name },
        metadata: { rule_version: version },
        change: {
          ...(before === undefined ? {} : { before }),
          ...(after === undefined ? {} : { after }),
        },
      });
      if (result === undefined || (result.status !== "created" && result.status !== "duplicate")) {
        throw new TrailproofError("META_AUDIT_FAILED", `could not record rule.${verb}`);
      }
      const [entry] = await ledger.readEntries(tenantOf(request), result.index, result.index + 1);
      const made = entry && ruleVersionOfEntry(tenantId, entry);
      if (made === undefined) throw new TrailproofError("META_AUDIT_FAILED", `rule.${verb} was not recorded as given`);
      await rules.insertRuleVersion(made);
      const versions = await versionsOf(tenantId, ruleId);
      if (versions.find((v) => v.version === version)?.logIndex !== made.logIndex) {
        // Another node numbered a change of this rule the same: this one is in the log but not in force.
        throw new TrailproofError(
          "RULE_VERSION_CONFLICT",
          `rule ${ruleId} was changed at the same time elsewhere; read it again and retry`,
        );
      }
      return versions;
    };
    const next = (changing.get(tenantId) ?? Promise.resolve()).then(run, run);
    changing.set(
      tenantId,
      next.catch(() => undefined),
    );
    return next;
  };

  api.get(
    "/v1/rules",
    {
      config: { permission: "verify" },
      schema: {
        ...common,
        summary: "The tenant's alert rules (current versions; deleted ones left out)",
        response: { 200: RuleListSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const all = await rules.allRuleVersions(request.principal?.tenantId as number);
      const byRule = new Map<string, RuleVersionRecord[]>();
      for (const v of all) byRule.set(v.ruleId, [...(byRule.get(v.ruleId) ?? []), v]);
      return {
        rules: [...byRule.values()].map(toWireRule).filter((r) => !r.deleted),
      };
    },
  );

  api.post(
    "/v1/rules",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "Create an alert rule",
        description:
          "Evaluated from the entry after its rule.create event on; queries use the search syntax. Answers 400 RULE_INVALID listing every problem (each bad query with its pointer).",
        body: RuleDefinitionSchema,
        response: { 201: RuleResponseSchema, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      verifyRuleDefinition(request.body);
      const ruleId = `rul_${randomBytes(12).toString("base64url")}`;
      const versions = await change(request, ruleId, "create", request.body);
      return reply.code(201).send({ rule: toWireRule(versions) });
    },
  );

  api.get(
    "/v1/rules/:id",
    {
      config: { permission: "verify" },
      schema: {
        ...common,
        summary: "One alert rule, at its current version",
        params: RuleParamsSchema,
        response: { 200: RuleResponseSchema, ...ProblemResponses },
      },
    },
    async (request) => ({
      rule: toWireRule(await versionsOf(request.principal?.tenantId as number, request.params.id)),
    }),
  );

  api.put(
    "/v1/rules/:id",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "Change an alert rule: a new version, evaluated afresh from its rule.update event on",
        params: RuleParamsSchema,
        body: RuleDefinitionSchema,
        response: { 200: RuleResponseSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      verifyRuleDefinition(request.body);
      const versions = await change(request, request.params.id, "update", request.body);
      return { rule: toWireRule(versions) };
    },
  );

  api.delete(
    "/v1/rules/:id",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "Delete an alert rule: its last version, marked deleted; its alerts stay",
        params: RuleParamsSchema,
        response: { 200: RuleResponseSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const versions = await change(request, request.params.id, "delete", undefined);
      return { rule: toWireRule(versions) };
    },
  );

  api.get(
    "/v1/rules/:id/versions",
    {
      config: { permission: "verify" },
      schema: {
        ...common,
        summary: "Every version of an alert rule, oldest first",
        params: RuleParamsSchema,
        response: { 200: RuleVersionListSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const versions = await versionsOf(request.principal?.tenantId as number, request.params.id);
      return { versions: versions.map((_, i) => toWireRule(versions.slice(0, i + 1))) };
    },
  );

  /** A back-test reads the tenant's events: recorded as a search, as any read of events is (meta-audit). */
  const recordBacktest = (request: FastifyRequest, query: Record<string, unknown>, result: BacktestResponse) =>
    audit.record(request, {
      action: "audit.search",
      target: { type: "log", id: tenantOf(request) },
      metadata: { query: { backtest: query }, result_count: result.alerts.length },
      dedupeKey: JSON.stringify(query),
    });

  const periodOf = (query: { from: string; to: string }) => {
    const from = parseFilterDate(query.from);
    const to = parseFilterDate(query.to);
    const problems = [
      ...("problem" in from ? [{ pointer: "/from", message: from.problem }] : []),
      ...("problem" in to ? [{ pointer: "/to", message: to.problem }] : []),
    ];
    if ("ms" in from && "ms" in to && to.ms <= from.ms) problems.push({ pointer: "/to", message: "is not after from" });
    if (problems.length > 0 || !("ms" in from) || !("ms" in to)) {
      throw new TrailproofError("RULE_INVALID", "the back-test period is invalid", { problems });
    }
    return { fromMs: from.ms, toMs: to.ms };
  };

  api.post(
    "/v1/rules/:id/backtest",
    {
      config: { permission: "verify" },
      schema: {
        ...common,
        summary:
          "Replay a period of history through a saved rule (its current version) and answer the alerts it would have raised",
        params: RuleParamsSchema,
        querystring: BacktestQuerySchema,
        response: { 200: BacktestResponseSchema, ...ProblemResponses },
      },
    },
    async (request): Promise<BacktestResponse> => {
      const tenantId = request.principal?.tenantId as number;
      const period = periodOf(request.query);
      const versions = await versionsOf(tenantId, request.params.id);
      const current = versions[versions.length - 1] as RuleVersionRecord;
      const result = await runBacktest(
        deps,
        tenantOf(request),
        tenantId,
        {
          id: current.ruleId,
          version: current.version,
          definition: current.definition as unknown as RuleDefinition,
        },
        period,
      );
      await recordBacktest(request, { rule: current.ruleId, version: current.version, ...request.query }, result);
      return result;
    },
  );

  api.post(
    "/v1/rules/backtest",
    {
      config: { permission: "verify" },
      schema: {
        ...common,
        summary: "Replay a period of history through an unsaved rule (the console's preview)",
        querystring: BacktestQuerySchema,
        body: RuleDefinitionSchema,
        response: { 200: BacktestResponseSchema, ...ProblemResponses },
      },
    },
    async (request): Promise<BacktestResponse> => {
      verifyRuleDefinition(request.body);
      const period = periodOf(request.query);
      const result = await runBacktest(
        deps,
        tenantOf(request),
        request.principal?.tenantId as number,
        {
          id: "rul_preview",
          version: 1,
          definition: request.body,
        },
        period,
      );
      await recordBacktest(request, { rule: "preview", condition: request.body.condition, ...request.query }, result);
      return result;
    },
  );
}
