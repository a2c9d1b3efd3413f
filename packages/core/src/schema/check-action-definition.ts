// Structural checks of an action definition (log format v1) before it enters
// the registry: field shapes, closed vocabularies, message template and privacy
// pointer patterns. Schema compilation and compatibility live in the registry.
import { Type } from "typebox";
import type { JsonValue } from "../canonical-json.js";
import { escapePointer } from "../canonical-json.js";
import type { Problem } from "../errors.js";
import { subjectRuleProblem } from "../privacy/disclosure-subject.js";
import {
  ACTION_CATEGORIES,
  ACTION_KINDS,
  ACTION_NAME_PATTERN,
  MAX_ACTION_NAME_LENGTH,
  PRIVACY_CLASSES,
  RISK_LEVELS,
} from "./action-taxonomy.js";
import { problemsFromAjv } from "./ajv-problems.js";
import { createAjv } from "./create-ajv.js";
import { templateProblems } from "./message-template.js";
import { pointerPatternProblem } from "./privacy-patterns.js";

export const MAX_MESSAGE_TEMPLATE_LENGTH = 512;

const privacyRules = Type.Record(Type.String(), Type.Enum([...PRIVACY_CLASSES]));
const jsonSchemaObject = Type.Object({}, { additionalProperties: true, description: "a JSON Schema object" });

const definitionShape = Type.Object(
  {
    action: Type.String({
      pattern: ACTION_NAME_PATTERN,
      maxLength: MAX_ACTION_NAME_LENGTH,
      description: "a dotted lower-case action name such as app.page.update",
    }),
    version: Type.Integer({ minimum: 1 }),
    kind: Type.Enum([...ACTION_KINDS]),
    category: Type.Enum([...ACTION_CATEGORIES]),
    defaultRisk: Type.Enum([...RISK_LEVELS]),
    messageTemplate: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_MESSAGE_TEMPLATE_LENGTH })),
    metadataSchema: Type.Optional(jsonSchemaObject),
    stateSchema: Type.Optional(jsonSchemaObject),
    privacy: Type.Optional(
      Type.Object(
        {
          metadata: Type.Optional(privacyRules),
          state: Type.Optional(privacyRules),
          subject: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

let validateShape: ReturnType<ReturnType<typeof createAjv>["compile"]> | undefined;

/** Every structural problem of `definition` (untrusted), pointers into it. */
export function checkActionDefinition(definition: JsonValue): Problem[] {
  validateShape ??= createAjv().compile(definitionShape);
  if (!validateShape(definition)) return problemsFromAjv(validateShape.errors);
  const def = definition as Record<string, JsonValue>;
  const problems: Problem[] = [];
  if (typeof def.messageTemplate === "string") {
    for (const message of templateProblems(def.messageTemplate)) {
      problems.push({ pointer: "/messageTemplate", message });
    }
  }
  const { subject, ...privacy } = (def.privacy ?? {}) as Record<string, Record<string, JsonValue>>;
  if (typeof subject === "string") {
    const message = subjectRuleProblem(subject);
    if (message !== undefined) problems.push({ pointer: "/privacy/subject", message });
  }
  for (const [part, rules] of Object.entries(privacy)) {
    for (const pattern of Object.keys(rules)) {
      const message = pointerPatternProblem(pattern);
      if (message !== undefined) {
        problems.push({ pointer: `/privacy/${part}/${escapePointer(pattern)}`, message: `pointer pattern ${message}` });
      }
    }
  }
  return problems;
}
