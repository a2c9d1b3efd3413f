// Alert rules (/v1/rules, docs/alerts.md): list, read, create, change (a new
// version), delete, versions, and back-tests of a saved rule or of an unsaved
// definition (the preview the Rules page shows before a rule is saved).
import type { BacktestResponse, RuleDefinition, WireRule } from "@trailproof/protocol";
import type { ApiClient } from "./api-client.js";
import { buildUrl } from "./api-client.js";

export type {
  AbsenceCondition,
  AlertSeverity,
  BacktestResponse,
  RuleCondition,
  RuleDefinition,
  RuleGroupField,
  RuleType,
  SequenceCondition,
  SpikeCondition,
  ThresholdCondition,
  WireRaisedAlert,
  WireRule,
} from "@trailproof/protocol";

const rulePath = (id: string) => `/v1/rules/${encodeURIComponent(id)}`;

export async function listRules(api: ApiClient): Promise<WireRule[]> {
  return (await api.get<{ rules: WireRule[] }>("/v1/rules")).rules;
}

export async function fetchRule(api: ApiClient, id: string): Promise<WireRule> {
  return (await api.get<{ rule: WireRule }>(rulePath(id))).rule;
}

/** Every version of the rule, oldest first (a deletion is the last). */
export async function fetchRuleVersions(api: ApiClient, id: string): Promise<WireRule[]> {
  return (await api.get<{ versions: WireRule[] }>(`${rulePath(id)}/versions`)).versions;
}

export async function createRule(api: ApiClient, definition: RuleDefinition): Promise<WireRule> {
  return (await api.send<{ rule: WireRule }>("POST", "/v1/rules", definition)).rule;
}

export async function updateRule(api: ApiClient, id: string, definition: RuleDefinition): Promise<WireRule> {
  return (await api.send<{ rule: WireRule }>("PUT", rulePath(id), definition)).rule;
}

export async function deleteRule(api: ApiClient, id: string): Promise<void> {
  await api.send("DELETE", rulePath(id));
}

export interface Period {
  /** RFC 3339. */
  from: string;
  to: string;
}

/** The alerts an unsaved definition would have raised over `period`. */
export function previewRule(api: ApiClient, definition: RuleDefinition, period: Period): Promise<BacktestResponse> {
  return api.send<BacktestResponse>("POST", buildUrl("/v1/rules/backtest", { ...period }), definition);
}

/** The alerts a saved rule (its latest version) would have raised over `period`. */
export function backtestRule(api: ApiClient, id: string, period: Period): Promise<BacktestResponse> {
  return api.send<BacktestResponse>("POST", buildUrl(`${rulePath(id)}/backtest`, { ...period }));
}
