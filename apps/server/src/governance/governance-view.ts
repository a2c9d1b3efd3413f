// The governance view (GET /v1/governance): policy decisions counted by phase
// and policy, the newest denials with their remediation, and the newest policy
// changes with who made them. Read from the search projection page by page;
// no store capability of its own, so it is bounded by MAX_SCANNED_EVENTS.
import { fromUtf8, type PolicyPhase } from "@trailproof/core";
import type { AuditQuery, Ledger } from "@trailproof/ledger";
import type {
  EventFilter,
  Governance,
  GovernanceDecisionRow,
  GovernanceDenial,
  GovernancePolicyChange,
  Role,
} from "@trailproof/protocol";
import { roleAllows } from "@trailproof/protocol";
import { toEventItem } from "../routes/event-view.js";
import {
  asObject,
  changePhaseOf,
  decisionOf,
  metadataOf,
  phaseOf,
  policyIdOf,
  principalOf,
  text,
  versionText,
} from "./policy-fields.js";

/** Most policy events one answer reads, per action; a longer period answers `truncated`. */
export const MAX_SCANNED_EVENTS = 20_000;
const PAGE = 500;

export interface GovernanceRequest {
  tenant: string;
  tenantId: number;
  role: Role;
  /** Normalised RFC 3339 bounds (parseEventFilterParams), or undefined for open ends. */
  from?: string;
  to?: string;
  phase?: PolicyPhase;
  limit: number;
}

type Json = Record<string, unknown>;
interface Scanned {
  index: number;
  leafData: Uint8Array;
  event: Json;
}

const PHASE_ORDER = ["build", "deploy", "runtime", null];

/** Entries of one action in the period, newest first, until `enough` says stop or the bound is reached. */
async function scan(
  query: AuditQuery,
  tenantId: number,
  filter: EventFilter,
  visit: (entry: Scanned) => "more" | "enough",
): Promise<{ truncated: boolean }> {
  let cursor: string | undefined;
  let seen = 0;
  for (;;) {
    const page = await query.search(tenantId, filter, { limit: PAGE, order: "desc", ...(cursor ? { cursor } : {}) });
    for (const entry of page.entries) {
      if (seen >= MAX_SCANNED_EVENTS) return { truncated: true };
      seen++;
      const event = JSON.parse(fromUtf8(entry.leafData)) as Json;
      if (visit({ index: entry.index, leafData: entry.leafData, event }) === "enough") return { truncated: false };
    }
    if (page.nextCursor === null) return { truncated: false };
    cursor = page.nextCursor;
  }
}

export async function buildGovernance(ledger: Ledger, query: AuditQuery, req: GovernanceRequest): Promise<Governance> {
  const period: EventFilter = {
    ...(req.from === undefined ? {} : { from: req.from }),
    ...(req.to === undefined ? {} : { to: req.to }),
  };
  const rows = new Map<string, GovernanceDecisionRow>();
  const totals = { total: 0, allow: 0, deny: 0, warn: 0, other: 0 };
  const denied: Scanned[] = [];
  const evaluations = await scan(query, req.tenantId, { ...period, action: "policy.evaluate" }, (entry) => {
    const metadata = metadataOf(entry.event);
    const phase = phaseOf(metadata.phase);
    if (req.phase !== undefined && phase !== req.phase) return "more";
    const policyId = policyIdOf(entry.event);
    const decision = decisionOf(entry.event);
    const key = JSON.stringify([phase, policyId]);
    let row = rows.get(key);
    if (row === undefined) {
      row = { phase, policy_id: policyId, allow: 0, deny: 0, warn: 0, other: 0, total: 0 };
      rows.set(key, row);
    }
    row[decision]++;
    row.total++;
    totals[decision]++;
    totals.total++;
    if (decision === "deny" && denied.length < req.limit) denied.push(entry);
    return "more";
  });
  const changed: Scanned[] = [];
  const changes = await scan(query, req.tenantId, { ...period, action: "policy.update" }, (entry) => {
    if (req.phase !== undefined && changePhaseOf(entry.event) !== req.phase) return "more";
    changed.push(entry);
    return changed.length < req.limit ? "more" : "enough";
  });
  // Listed events are shown as the caller may see them: people as pseudonyms for viewers.
  const view = async (entry: Scanned) => (await toEventItem(ledger, req.tenant, req.role, entry)).event as Json;
  return {
    from: req.from ?? null,
    to: req.to ?? null,
    phase: req.phase ?? null,
    pseudonyms: !roleAllows(req.role, "read_personal"),
    decisions: {
      ...totals,
      rows: [...rows.values()].sort(
        (a, b) =>
          PHASE_ORDER.indexOf(a.phase) - PHASE_ORDER.indexOf(b.phase) ||
          (a.policy_id < b.policy_id ? -1 : a.policy_id > b.policy_id ? 1 : 0),
      ),
    },
    denials: await Promise.all(denied.map(async (entry) => toDenial(entry.index, await view(entry)))),
    changes: await Promise.all(changed.map(async (entry) => toChange(entry.index, await view(entry)))),
    truncated: evaluations.truncated || changes.truncated,
  };
}

function toDenial(index: number, event: Json): GovernanceDenial {
  const metadata = metadataOf(event);
  const target = principalOf(event.target);
  return {
    index,
    event_id: String(event.id),
    occurred_at: String(event.occurred_at),
    phase: phaseOf(metadata.phase),
    policy_id: policyIdOf(event),
    policy_version: versionText(metadata.policy_version),
    rationale: text(metadata.rationale),
    remediation: text(metadata.remediation),
    actor: principalOf(event.actor),
    target,
  };
}

function toChange(index: number, event: Json): GovernancePolicyChange {
  const metadata = metadataOf(event);
  const change = asObject(event.change);
  const after = asObject(change?.after);
  const before = asObject(change?.before);
  return {
    index,
    event_id: String(event.id),
    occurred_at: String(event.occurred_at),
    phase: changePhaseOf(event),
    policy_id: policyIdOf(event),
    policy_name: text(asObject(event.target)?.name) ?? text(after?.name) ?? text(before?.name),
    policy_version: versionText(metadata.policy_version) ?? versionText(after?.version),
    previous_version: versionText(metadata.previous_version) ?? versionText(before?.version),
    reason: text(metadata.reason),
    actor: principalOf(event.actor),
    outcome: String(asObject(event.outcome)?.status ?? "success"),
    ...(change !== undefined && "before" in change ? { before: change.before } : {}),
    ...(change !== undefined && "after" in change ? { after: change.after } : {}),
  };
}
