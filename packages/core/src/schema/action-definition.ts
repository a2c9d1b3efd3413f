// The action definition of the Trailproof schema registry (log format v1): what
// an action means (kind, category, default risk), what its metadata and states
// look like (JSON Schema 2020-12) and how their fields are classified for privacy.
import type { JsonObject } from "../canonical-json.js";
import type { ActionCategory, ActionKind, RiskLevel } from "./action-taxonomy.js";
import type { PrivacyRules } from "./privacy-patterns.js";

/** A JSON Schema (2020-12) document; boolean schemas are allowed only inside it. */
export type JsonSchema = JsonObject;

export interface ActionPrivacy {
  /** Pointer patterns relative to the event's `metadata`. */
  metadata?: PrivacyRules;
  /** Pointer patterns relative to each of `change.before` and `change.after`. */
  state?: PrivacyRules;
  /**
   * Whose the personal values of metadata and state are (privacy/disclosure-subject.ts):
   * "actor" (the default), "target" (target.id), or a JSON pointer to a string in the event.
   * Erasing that subject destroys them.
   */
  subject?: string;
}

export interface ActionDefinition {
  /** Dotted lower-case `<resource>.<verb>`, e.g. `app.page.update`. */
  action: string;
  /** 1 for the first definition, then previous + 1. */
  version: number;
  kind: ActionKind;
  category: ActionCategory;
  defaultRisk: RiskLevel;
  /** Message rendered when an event has none; see message-template.ts for placeholders. */
  messageTemplate?: string;
  /** Validates the event's `metadata` object. */
  metadataSchema?: JsonSchema;
  /** Validates `change.before` and `change.after`. */
  stateSchema?: JsonSchema;
  privacy?: ActionPrivacy;
}
