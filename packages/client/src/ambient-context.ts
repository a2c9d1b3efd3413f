// The ambient context an event picks up when it is recorded: the request it
// was recorded in (who, from where, which trace) and the automation run. The
// store behind it is pluggable: @trailproof/client/node installs one on
// AsyncLocalStorage when imported; elsewhere there is none unless given.
import type { AutomationRun } from "./automation-run.js";
import type { Actor, EventContext } from "./event-draft.js";

export interface AmbientState {
  /** Context fields of the request being handled (ip, user agent, session, request and trace ids). */
  context?: EventContext;
  /** The person (or caller) of the request, for events recorded without an actor. */
  actor?: Actor;
  /** The innermost automation run. */
  run?: AutomationRun;
}

export interface AmbientSource {
  /** The state in effect for the code calling this, or undefined. MUST be cheap: it runs on every record(). */
  current(): AmbientState | undefined;
}

let installed: AmbientSource | undefined;

/** Installs the process-wide source (the Node entry point does this with AsyncLocalStorage). */
export function setAmbientSource(source: AmbientSource | undefined): void {
  installed = source;
}

export function ambientSource(): AmbientSource | undefined {
  return installed;
}
