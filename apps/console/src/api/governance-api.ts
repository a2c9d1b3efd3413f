// The governance view's call (GET /v1/governance, docs/api.md "Governance").
import type { Governance } from "@trailproof/protocol";
import type { ApiClient } from "./api-client.js";

export type { Governance, GovernanceDecisionRow, GovernanceDenial, GovernancePolicyChange } from "@trailproof/protocol";

export interface GovernanceParams {
  /** RFC 3339; open when absent. */
  from?: string;
  to?: string;
  phase?: "build" | "deploy" | "runtime";
  limit?: number;
}

export function fetchGovernance(api: ApiClient, params: GovernanceParams): Promise<Governance> {
  return api.get<Governance>("/v1/governance", { ...params });
}
