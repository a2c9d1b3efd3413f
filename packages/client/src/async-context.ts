// The ambient context on Node: AsyncLocalStorage carries the request and the
// automation run through every await, so an event recorded anywhere inside
// withAutomation() or a handled request is attributed without passing
// anything down. Importing @trailproof/client/node installs it.
import { AsyncLocalStorage } from "node:async_hooks";
import { type AmbientState, setAmbientSource } from "./ambient-context.js";
import { type AutomationOptions, AutomationRun } from "./automation-run.js";
import { ClientError } from "./errors.js";
import type { Actor, EventContext } from "./event-draft.js";

const storage = new AsyncLocalStorage<AmbientState>();

/** The ambient source backed by AsyncLocalStorage; installed when this module loads. */
export const nodeAmbient = { current: (): AmbientState | undefined => storage.getStore() };
setAmbientSource(nodeAmbient);

/**
 * Runs `fn` as an automation run: events recorded inside (at any depth of
 * awaits) get the run's `automation` fields, its service account as actor when
 * they name none, and caused_by the run's first event; that first event is
 * caused by `options.causedBy`, else by the enclosing run's first event.
 */
export function withAutomation<T>(options: AutomationOptions, fn: () => T): T {
  const outer = storage.getStore();
  return storage.run({ ...outer, run: AutomationRun.start(options, outer?.run) }, fn);
}

/** Runs `fn` as step `step` of the current run; its events chain to the step's first event. Throws AUTOMATION_SCOPE_MISSING outside a run. */
export function withStep<T>(step: string, fn: () => T): T {
  const outer = storage.getStore();
  if (outer?.run === undefined) {
    throw new ClientError("AUTOMATION_SCOPE_MISSING", "withStep() must run inside withAutomation()");
  }
  return storage.run({ ...outer, run: outer.run.step(step) }, fn);
}

/** Runs `fn` with request context fields (and the requesting actor) for the events recorded inside. */
export function withRequestContext<T>(request: { context?: EventContext; actor?: Actor }, fn: () => T): T {
  const outer = storage.getStore();
  const context = { ...outer?.context, ...request.context };
  const state: AmbientState = { ...outer, context };
  if (request.actor !== undefined) state.actor = request.actor;
  return storage.run(state, fn);
}

/** The automation run in effect here, if any (e.g. to read its trigger event id). */
export function currentRun(): AutomationRun | undefined {
  return storage.getStore()?.run;
}
