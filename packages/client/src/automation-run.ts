// Attribution of events to an automation run (docs/event-schema.md,
// `automation`): the run's fields and service account, and the caused_by
// chain. The first event recorded in a run is its trigger; every later event
// of the run names it as caused_by; the trigger itself names the explicit
// cause, or the enclosing run's trigger when runs nest.
import type { AutomationOrigin } from "@trailproof/core";
import type { Actor, Automation } from "./event-draft.js";

export interface AutomationOptions {
  origin: AutomationOrigin;
  workflowId?: string;
  workflowVersion?: string;
  runId?: string;
  triggerId?: string;
  ruleId?: string;
  condition?: string;
  /** The account the automation acts as; `type` defaults to "automation". */
  serviceAccount: { id: string; name?: string; type?: "automation" | "service_account" };
  /** The event that set this run in motion (e.g. the person's edit), when it was recorded elsewhere. */
  causedBy?: string;
}

export class AutomationRun {
  readonly parent: AutomationRun | undefined;
  readonly actor: Actor;
  readonly #fields: Automation;
  readonly #causedBy: string | undefined;
  #trigger: string | undefined;

  private constructor(fields: Automation, actor: Actor, causedBy: string | undefined, parent?: AutomationRun) {
    this.#fields = fields;
    this.actor = actor;
    this.#causedBy = causedBy;
    this.parent = parent;
  }

  /** A run of its own; `parent` is the run it was started from, if any. */
  static start(options: AutomationOptions, parent?: AutomationRun): AutomationRun {
    const fields: Automation = { origin: options.origin };
    if (options.workflowId !== undefined) fields.workflow_id = options.workflowId;
    if (options.workflowVersion !== undefined) fields.workflow_version = options.workflowVersion;
    if (options.runId !== undefined) fields.run_id = options.runId;
    if (options.triggerId !== undefined) fields.trigger_id = options.triggerId;
    if (options.ruleId !== undefined) fields.rule_id = options.ruleId;
    if (options.condition !== undefined) fields.condition = options.condition;
    const account = options.serviceAccount;
    const actor: Actor = { type: account.type ?? "automation", id: account.id };
    if (account.name !== undefined) actor.name = account.name;
    return new AutomationRun(fields, actor, options.causedBy, parent);
  }

  /** A step of this run: same run fields and account, `step` set; its events chain to the step's first event. */
  step(step: string): AutomationRun {
    return new AutomationRun({ ...this.#fields, step }, this.actor, undefined, this);
  }

  /** The id of the first event recorded in this run, once there is one. */
  get triggerEventId(): string | undefined {
    return this.#trigger;
  }

  /** The automation section an event recorded now in this run gets (caller's explicit fields win). */
  automationFor(eventId: string): Automation {
    const causedBy = this.#trigger === undefined || this.#trigger === eventId ? this.#triggerCause() : this.#trigger;
    return causedBy === undefined ? { ...this.#fields } : { ...this.#fields, caused_by: causedBy };
  }

  /** Notes that `eventId` was recorded in this run; the first becomes the run's trigger. */
  noteRecorded(eventId: string): void {
    this.#trigger ??= eventId;
  }

  /** What the trigger names as its cause: the explicit cause, else the nearest enclosing trigger. */
  #triggerCause(): string | undefined {
    if (this.#causedBy !== undefined) return this.#causedBy;
    for (let outer = this.parent; outer !== undefined; outer = outer.parent) {
      if (outer.#trigger !== undefined) return outer.#trigger;
    }
    return undefined;
  }
}
