// Builds EngineEvents for the engine's unit tests: committed-event-shaped
// JSON with the fields rules match and group on, in log order.
import { createHash } from "node:crypto";
import type { JsonObject } from "@trailproof/core";
import type { RuleDefinition } from "@trailproof/protocol";
import type { ActiveRule, EngineEvent } from "./engine-types.js";

export const T0 = Date.parse("2026-03-02T00:00:00Z");
export const MIN = 60_000;

/** A stand-in for the tenant's keyed pseudonym: the same id, the same value, never the id itself. */
export const pseudonym = (id: string) => `psn_${createHash("sha256").update(id).digest("hex").slice(0, 32)}`;

export interface Draft {
  action: string;
  /** occurred_at, ms after T0. */
  at: number;
  /** received_at, ms after T0 (default: `at`). */
  received?: number;
  actor?: string;
  target?: string;
  outcome?: string;
  workflow?: string;
  tags?: string[];
}

export function eventsOf(drafts: readonly Draft[]): EngineEvent[] {
  return drafts.map((d, index) => {
    const actor = d.actor ?? "usr_ada";
    const [targetType, targetId] = (d.target ?? "page:checkout").split(":") as [string, string];
    const event: JsonObject = {
      id: `evt_${index}`,
      action: d.action,
      occurred_at: new Date(T0 + d.at).toISOString(),
      actor: { type: "user", id: actor },
      target: { type: targetType, id: targetId },
      outcome: { status: d.outcome ?? "success" },
      ...(d.workflow === undefined ? {} : { automation: { workflow_id: d.workflow } }),
      ...(d.tags === undefined ? {} : { tags: d.tags }),
    };
    return {
      index,
      eventId: `evt_${index}`,
      receivedMs: T0 + (d.received ?? d.at),
      occurredMs: T0 + d.at,
      event,
      keys: {
        actor: pseudonym(actor),
        target: `${targetType}:${targetId}`,
        action: d.action,
        ip: null,
        workflow: d.workflow ?? null,
        session: null,
        run: null,
      },
    };
  });
}

export function ruleOf(condition: RuleDefinition["condition"], extra: Partial<ActiveRule> = {}): ActiveRule {
  return {
    id: "rul_test",
    version: 1,
    definition: { name: "test rule", severity: "high", condition },
    fromIndex: -1,
    fromMs: T0,
    ...extra,
  };
}
