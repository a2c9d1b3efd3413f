// Alert rules as a follower of the log (docs/alerts.md): never on the ingest
// path, each tenant's committed entries are fed in log order to the rule
// engine, and what it raises is appended as alert.raise events, stored as
// alerts, and only then the cursor and the engine's snapshot are saved, as
// one compare-and-set. Alert ids are digests of what raised them, so after a
// crash between any two steps the same entries raise the same ids again: the
// log's idempotent append keeps each once and the alert rows are kept once.
import { hasErrorCode, type JsonObject, TrailproofError } from "@trailproof/core";
import type { AuditQuery, FollowerSink, Ledger, LogFollower, RuleStore, StoredEntry } from "@trailproof/ledger";
import { parseSearchQuery, type SpikeCondition } from "@trailproof/protocol";
import { pseudonymizer } from "../privacy/pseudonyms.js";
import { ALERTS_APPENDER, alertRaiseEvent } from "./alert-events.js";
import { compileQuery, type EventMatcher } from "./engine/compiled-query.js";
import { engineEventOf } from "./engine/engine-event.js";
import type { ActiveRule, RaisedAlert } from "./engine/engine-types.js";
import { type EngineSnapshot, RuleEngine } from "./engine/rule-engine.js";
import { baselineStepMs } from "./engine/spike-rule.js";
import { readHistory } from "./history.js";
import { activeRulesAt, ruleVersionOfEvent } from "./rule-versions.js";

export const ALERT_FOLLOWER_NAME = "alerts";

/**
 * A tick judges the clock this far behind now, so an entry received just
 * before the tick and not applied yet cannot be judged missing.
 */
export const TICK_SETTLE_MS = 2_000;

/** How long a new spike rule waits for the search projection to cover the history before it. */
const SEARCH_WAIT_MS = 30_000;

const DAY_MS = 86_400_000;

export interface AlertFollowerDeps {
  ledger: Ledger;
  rules: RuleStore;
  query: AuditQuery;
  /** Resolves once search covers the tenant's first `size` entries (absent: the store indexes in the commit). */
  waitForSearch?: (tenantId: number, size: number, timeoutMs: number) => Promise<boolean>;
}

export interface AlertFollowerOptions {
  /** TRAILPROOF_ALERT_TICK_MS; 0: no timer. */
  tickMs: number;
  /** How late an event may arrive and still count (engine default when absent). */
  latenessMs?: number;
  /** Runs after the alerts are appended and stored, before the cursor is saved (tests stop there). */
  beforeSave?: (tenantId: number) => void | Promise<void>;
  /** Where a failed tick is reported. */
  onTickError?: (err: unknown) => void;
}

interface Raised {
  alert: RaisedAlert;
  rule: ActiveRule;
}

export class AlertFollower implements FollowerSink {
  readonly name = ALERT_FOLLOWER_NAME;
  readonly #deps: AlertFollowerDeps;
  readonly #options: AlertFollowerOptions;
  readonly #names = new Map<number, string>();
  /** Per tenant, the apply or tick in progress: one at a time in this process. */
  readonly #busy = new Map<number, Promise<unknown>>();
  #follower: LogFollower | undefined;
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  #users = 0;

  constructor(deps: AlertFollowerDeps, options: AlertFollowerOptions) {
    this.#deps = deps;
    this.#options = options;
  }

  /** Follows the ledger's logs from the stored cursor on (once). */
  follow(): LogFollower {
    this.#follower ??= this.#deps.ledger.follow(this);
    return this.#follower;
  }

  /**
   * The stored cursor. A tenant never evaluated that has no rule starts at
   * its log's end instead of 0: a rule counts only the entries after its own
   * event, so nothing before can raise an alert, and the first start after
   * an upgrade does not read every tenant's history while admission counts
   * that as lag. (A rule made in the instant between is loaded from its row
   * at the next batch, which starts after its event: nothing is missed.)
   */
  async covered(tenantId: number): Promise<number> {
    const { rules, ledger } = this.#deps;
    const state = await rules.alertFollowerState(tenantId);
    if (state.snapshot !== null || state.covered > 0) return state.covered;
    const size = await ledger.treeSize(await this.#tenantName(tenantId));
    if (size === 0 || (await rules.allRuleVersions(tenantId)).length > 0) return state.covered;
    try {
      await rules.saveAlertFollowerState(tenantId, 0, { covered: size, snapshot: { rules: {} } });
      return size;
    } catch (err) {
      if (!hasErrorCode(err, "FOLLOWER_CURSOR_MOVED")) throw err;
      return (await rules.alertFollowerState(tenantId)).covered;
    }
  }

  apply(tenantId: number, entries: readonly StoredEntry[]): Promise<void> {
    return this.#serial(tenantId, () => this.#apply(tenantId, entries));
  }

  /** Starts the tick timer (counted: each start needs a stop). */
  start(): void {
    this.#users += 1;
    if (this.#timer !== undefined || this.#options.tickMs <= 0) return;
    this.#timer = setInterval(() => {
      if (this.#ticking) return;
      this.#ticking = this.tick()
        .catch((err: unknown) => this.#options.onTickError?.(err))
        .finally(() => {
          this.#ticking = undefined;
        });
    }, this.#options.tickMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    this.#users = Math.max(0, this.#users - 1);
    if (this.#users > 0) return;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#ticking;
  }

  /**
   * Moves every quiet tenant's clock to now (less TICK_SETTLE_MS): absences
   * and time limits that passed raise their alerts without waiting for the
   * next entry. A tenant with entries not applied yet is left to apply().
   */
  async tick(nowMs = this.#deps.ledger.now() - TICK_SETTLE_MS): Promise<void> {
    for (const t of await this.#deps.ledger.listTenants()) {
      this.#names.set(t.tenantId, t.name);
      if ((this.#follower?.lag(t.tenantId) ?? 0) > 0) continue;
      await this.#serial(t.tenantId, () => this.#tick(t.tenantId, t.name, nowMs));
    }
  }

  async #apply(tenantId: number, entries: readonly StoredEntry[]): Promise<void> {
    const first = entries[0];
    const last = entries[entries.length - 1];
    if (first === undefined || last === undefined) return;
    const { ledger, rules } = this.#deps;
    const tenant = await this.#tenantName(tenantId);
    const state = await rules.alertFollowerState(tenantId);
    if (state.covered !== first.index) {
      throw new TrailproofError(
        "FOLLOWER_CURSOR_MOVED",
        `${this.name} of tenant ${tenantId} is at ${state.covered}, not at ${first.index}: another evaluation got there first`,
      );
    }
    let versions = await rules.allRuleVersions(tenantId);
    const engine = this.#engine(evaluable(activeRulesAt(versions, first.index - 1)), state.snapshot);
    const pseudonym = remembered(await pseudonymizer(ledger, tenant));
    let countsByIp = ipMatchers(engine.rules);
    const raised: Raised[] = [];
    for (const entry of entries) {
      // A pruned entry has no event left to match.
      if (entry.leafData.length === 0) continue;
      // No rule in force: only a rule.* entry matters, and most entries cannot be one.
      if (engine.rules.length === 0 && !mayBeRuleEvent(entry.leafData)) continue;
      let e = engineEventOf(entry, pseudonym);
      // The IP is sealed beside the leaf: opened only for an entry a rule grouping by IP counts.
      if (countsByIp.some((matches) => matches(e))) {
        e = engineEventOf(entry, pseudonym, await this.#ipOf(tenant, entry.index));
      }
      raised.push(...withRules(engine.observe(e), engine.rules));
      // A rule change takes effect at its entry: reload before the next one.
      const made = ruleVersionOfEvent(tenantId, entry.index, entry.receivedMs, e.event);
      if (made !== undefined) {
        await rules.insertRuleVersion(made);
        versions = [...versions.filter((v) => v.ruleId !== made.ruleId || v.version !== made.version), made];
        engine.setRules(evaluable(activeRulesAt(versions, entry.index)));
        countsByIp = ipMatchers(engine.rules);
        const rule = engine.rules.find((r) => r.id === made.ruleId && r.version === made.version);
        if (rule?.definition.condition.type === "spike") await this.#seedSpike(engine, tenantId, rule);
      }
    }
    await this.#record(tenant, tenantId, raised);
    await this.#options.beforeSave?.(tenantId);
    await rules.saveAlertFollowerState(tenantId, first.index, {
      covered: last.index + 1,
      snapshot: engine.snapshot() as unknown as JsonObject,
    });
  }

  async #tick(tenantId: number, tenant: string, nowMs: number): Promise<void> {
    const { ledger, rules } = this.#deps;
    const state = await rules.alertFollowerState(tenantId);
    // No rule was in force at the last save: nothing has a clock to move.
    const loaded = (state.snapshot as { rules?: Record<string, unknown> } | null)?.rules ?? {};
    if (Object.keys(loaded).length === 0 || state.covered < (await ledger.treeSize(tenant))) return;
    const active = evaluable(activeRulesAt(await rules.allRuleVersions(tenantId), state.covered - 1));
    if (!active.some((r) => r.definition.condition.type === "absence" || r.definition.condition.type === "sequence")) {
      return;
    }
    const engine = this.#engine(active, state.snapshot);
    const before = JSON.stringify(engine.snapshot());
    const raised = withRules(engine.advance(nowMs), engine.rules);
    const snapshot = engine.snapshot();
    if (raised.length === 0 && JSON.stringify(snapshot) === before) return;
    await this.#record(tenant, tenantId, raised);
    await this.#options.beforeSave?.(tenantId);
    // The cursor stays; the compare-and-set still fails if an apply (here or on another node) moved it.
    await rules.saveAlertFollowerState(tenantId, state.covered, {
      covered: state.covered,
      snapshot: snapshot as unknown as JsonObject,
    });
  }

  /** Appends each alert as alert.raise (a duplicate when raised before), then stores its row (kept once). */
  async #record(tenant: string, tenantId: number, raised: readonly Raised[]): Promise<void> {
    if (raised.length === 0) return;
    const results = await this.#deps.ledger.append(
      tenant,
      raised.map((r) => alertRaiseEvent(r.alert, r.rule)),
      { appendedBy: ALERTS_APPENDER, serviceRecord: true },
    );
    const rows = results.map((result, k) => {
      const { alert } = raised[k] as Raised;
      if (result.status !== "created" && result.status !== "duplicate") {
        throw new TrailproofError(
          "FOLLOWER_FAILED",
          `${this.name} could not record alert ${alert.id}: ${JSON.stringify(result)}`,
        );
      }
      return {
        alertId: alert.id,
        tenantId,
        ruleId: alert.rule_id,
        raised: alert as unknown as JsonObject,
        logIndex: result.index,
        raisedAt: result.receivedAt,
        status: "open" as const,
        acknowledgedBy: null,
        acknowledgedAt: null,
        resolvedBy: null,
        resolvedAt: null,
        resolutionIndex: null,
      };
    });
    await this.#deps.rules.insertAlerts(rows);
  }

  #engine(active: ActiveRule[], snapshot: JsonObject | null): RuleEngine {
    return new RuleEngine(
      active,
      (snapshot ?? undefined) as EngineSnapshot | undefined,
      this.#options.latenessMs === undefined ? {} : { latenessMs: this.#options.latenessMs },
    );
  }

  /**
   * A new spike rule's baseline: the matching entries before its own event
   * (by index, so the same log seeds the same baseline) over the baseline's
   * span, read through the query side once search covers them.
   */
  async #seedSpike(engine: RuleEngine, tenantId: number, rule: ActiveRule): Promise<void> {
    const covered = (await this.#deps.waitForSearch?.(tenantId, rule.fromIndex, SEARCH_WAIT_MS)) ?? true;
    if (!covered) {
      throw new TrailproofError(
        "FOLLOWER_FAILED",
        `${this.name}: search does not cover tenant ${tenantId}'s history before rule ${rule.id} yet; retrying`,
      );
    }
    const c = rule.definition.condition as SpikeCondition;
    const history = await readHistory(this.#deps.query, tenantId, parseSearchQuery(c.query), {
      fromMs: rule.fromMs - baselineSpanMs(c),
      toMs: rule.fromMs + DAY_MS,
      beforeIndex: rule.fromIndex,
    });
    const tenant = await this.#tenantName(tenantId);
    const pseudonym = await pseudonymizer(this.#deps.ledger, tenant);
    const ip = groupsByIp(rule);
    for (const entry of history.entries) {
      engine.seed(rule.id, engineEventOf(entry, pseudonym, ip ? await this.#ipOf(tenant, entry.index) : null));
    }
  }

  /** The entry's context.ip, opened (the leaf holds only its commitment); null when absent or erased. */
  async #ipOf(tenant: string, index: number): Promise<string | null> {
    const opened = await this.#deps.ledger.openDisclosures(tenant, index);
    const ip = opened.find((d) => d.pointer === "/context/ip");
    return ip?.state === "value" && typeof ip.value === "string" ? ip.value : null;
  }

  async #tenantName(tenantId: number): Promise<string> {
    let name = this.#names.get(tenantId);
    if (name === undefined) {
      for (const t of await this.#deps.ledger.listTenants()) this.#names.set(t.tenantId, t.name);
      name = this.#names.get(tenantId);
    }
    if (name === undefined) throw new TrailproofError("TENANT_NOT_FOUND", `no tenant with id ${tenantId}`);
    return name;
  }

  #serial<T>(tenantId: number, run: () => Promise<T>): Promise<T> {
    const previous = this.#busy.get(tenantId) ?? Promise.resolve();
    const next = previous.then(run, run);
    const settled = next.catch(() => undefined);
    this.#busy.set(tenantId, settled);
    void settled.then(() => {
      if (this.#busy.get(tenantId) === settled) this.#busy.delete(tenantId);
    });
    return next;
  }
}

/** The span of history a spike rule's baseline covers, plus the bucket it is in. */
export function baselineSpanMs(c: SpikeCondition): number {
  return baselineStepMs(c) * c.baseline_periods + c.bucket_seconds * 1000;
}

/** Whether each rule version compiles, by "id@version": a version never changes, so it is tried once. */
const compiles = new Map<string, boolean>();

/**
 * The rules the engine can evaluate. A stored definition that no longer
 * compiles (written by another version of the service) is left out rather
 * than stopping evaluation, and with it admission, for the whole tenant; the
 * same definition is left out wherever the log is evaluated.
 */
function evaluable(rules: ActiveRule[]): ActiveRule[] {
  return rules.filter((rule) => {
    const key = `${rule.id}@${rule.version}`;
    let ok = compiles.get(key);
    if (ok === undefined) {
      try {
        new RuleEngine([rule]);
        ok = true;
      } catch {
        ok = false;
      }
      compiles.set(key, ok);
    }
    return ok;
  });
}

/** The leaf is canonical JSON (RFC 8785: no spaces), so a rule.* event's leaf holds this text. */
const RULE_ACTION_BYTES = Buffer.from('"action":"rule.');

function mayBeRuleEvent(leafData: Uint8Array): boolean {
  return Buffer.from(leafData.buffer, leafData.byteOffset, leafData.byteLength).includes(RULE_ACTION_BYTES);
}

/** The queries of the rules that group by IP: an entry one of them matches needs its IP opened. */
function ipMatchers(rules: readonly ActiveRule[]): EventMatcher[] {
  return rules.filter(groupsByIp).map((r) => compileQuery((r.definition.condition as { query: string }).query, r.id));
}

/** `of` with its answers kept for the batch: the same few people's ids recur on every entry. */
function remembered(of: (id: string) => string): (id: string) => string {
  const known = new Map<string, string>();
  return (id) => {
    let p = known.get(id);
    if (p === undefined) {
      p = of(id);
      known.set(id, p);
    }
    return p;
  };
}

function groupsByIp(rule: ActiveRule): boolean {
  const c = rule.definition.condition;
  return c.type !== "sequence" && (c.group_by ?? []).includes("ip");
}

function withRules(alerts: readonly RaisedAlert[], rules: readonly ActiveRule[]): Raised[] {
  return alerts.map((alert) => {
    const rule = rules.find((r) => r.id === alert.rule_id);
    if (rule === undefined) throw new TrailproofError("FOLLOWER_FAILED", `alert ${alert.id} names no rule in force`);
    return { alert, rule };
  });
}
