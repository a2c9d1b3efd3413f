// The action schema registry: taxonomy, definitions, compatibility rule,
// built-in catalogue, and the JSON Schema helpers the event envelope reuses.
export type { ActionDefinition, ActionPrivacy, JsonSchema } from "./action-definition.js";
export { ActionRegistry } from "./action-registry.js";
export * from "./action-taxonomy.js";
export { problemsFromAjv } from "./ajv-problems.js";
export { builtinCatalogue, isServiceAction, tenantCatalogue } from "./builtin-catalogue.js";
export { POLICY_DECISIONS, POLICY_PHASES, type PolicyDecision, type PolicyPhase } from "./catalogue-policy.js";
export { checkActionDefinition, MAX_MESSAGE_TEMPLATE_LENGTH } from "./check-action-definition.js";
export { checkBackwardCompatible, compatibilityProblems } from "./check-backward-compatible.js";
export { createAjv } from "./create-ajv.js";
export { formatPointer, getAt, parsePointer, putAt, removeAt } from "./json-pointer.js";
export {
  renderMessage,
  TEMPLATE_PLACEHOLDERS,
  type TemplatePlaceholder,
  templateProblems,
} from "./message-template.js";
export { findClassified, type PrivacyRules, pointerPatternProblem, WILDCARD_TOKEN } from "./privacy-patterns.js";
