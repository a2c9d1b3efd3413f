// The in-memory action schema registry (log format v1): versioned action
// definitions, their compiled validators, and the rule that a new version MUST
// accept every event the previous one accepted. Persistence lives elsewhere.
import type { ValidateFunction } from "ajv";
import { encodeCanonicalJson, type JsonValue } from "../canonical-json.js";
import { InvalidInputError, type Problem } from "../errors.js";
import type { ActionDefinition, JsonSchema } from "./action-definition.js";
import { problemsFromAjv } from "./ajv-problems.js";
import { checkActionDefinition } from "./check-action-definition.js";
import { compatibilityProblems } from "./check-backward-compatible.js";
import { createAjv } from "./create-ajv.js";

// Compiled validators are shared by every registry in the process, keyed by
// the schema's RFC 8785 form: tenants loading the same built-in catalogue pay
// for compilation once. Bounded by the number of distinct registered schemas.
const compiledSchemas = new Map<string, ValidateFunction>();
let sharedAjv: ReturnType<typeof createAjv> | undefined;

function compileSchema(schema: JsonSchema): ValidateFunction {
  const key = encodeCanonicalJson(schema);
  let validate = compiledSchemas.get(key);
  if (validate === undefined) {
    sharedAjv ??= createAjv();
    validate = sharedAjv.compile(schema);
    compiledSchemas.set(key, validate);
  }
  return validate;
}

interface Validators {
  metadata?: ValidateFunction;
  state?: ValidateFunction;
}

const PARTS = [
  ["metadataSchema", "metadata"],
  ["stateSchema", "state"],
] as const;

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function sameDefinition(a: ActionDefinition, b: ActionDefinition): boolean {
  return encodeCanonicalJson(a) === encodeCanonicalJson(b);
}

function schemaInvalid(action: unknown, problems: Problem[]): InvalidInputError {
  const name = typeof action === "string" ? `"${action}"` : "the action";
  return new InvalidInputError("SCHEMA_INVALID", `the definition of ${name} is invalid`, { problems });
}

/**
 * Definitions are stored as deep-frozen copies; resolve() returns those copies.
 * Keeping persisted definitions in step with register() is the caller's job.
 */
export class ActionRegistry {
  readonly #versions = new Map<string, ActionDefinition[]>();
  readonly #validators = new WeakMap<ActionDefinition, Validators>();

  /**
   * `initial` definitions are trusted (e.g. loaded from storage): their shape
   * and schemas are still checked, failing closed, but compatibility is not
   * re-judged, so a stricter rule never locks out already-accepted history.
   * An exact repeat of a definition (e.g. a stored copy of a built-in) is skipped.
   */
  constructor(initial: Iterable<ActionDefinition> = []) {
    const sorted = [...initial].sort((a, b) =>
      a.action === b.action ? a.version - b.version : a.action < b.action ? -1 : 1,
    );
    for (const definition of sorted) this.#add(definition, false);
  }

  /**
   * Validates `definition` (untrusted) and adds it as the next version of its
   * action. Throws SCHEMA_INVALID with every problem, or SCHEMA_INCOMPATIBLE
   * whose problems are the reasons the new schemas reject old events.
   */
  register(definition: ActionDefinition): ActionDefinition {
    return this.#add(definition, true);
  }

  /** The definition at `version`, or the latest one when omitted. */
  resolve(action: string, version?: number): ActionDefinition | undefined {
    const all = this.#versions.get(action);
    if (all === undefined) return undefined;
    return version === undefined ? all[all.length - 1] : all[version - 1];
  }

  /** Registered version numbers of `action`, ascending; empty when unknown. */
  versions(action: string): number[] {
    return (this.#versions.get(action) ?? []).map((d) => d.version);
  }

  /** Every version of every action, ordered by action then version. */
  list(): ActionDefinition[] {
    return [...this.#versions.keys()].sort().flatMap((action) => this.#versions.get(action) ?? []);
  }

  /** Problems of `metadata` under `definition`'s metadataSchema, pointers under `base`. */
  validateMetadata(definition: ActionDefinition, metadata: JsonValue, base = "/metadata"): Problem[] {
    return this.#run(definition, "metadata", metadata, base);
  }

  /** Problems of one state (change.before or change.after) under stateSchema. */
  validateState(definition: ActionDefinition, state: JsonValue, base: string): Problem[] {
    return this.#run(definition, "state", state, base);
  }

  #run(definition: ActionDefinition, part: keyof Validators, value: JsonValue, base: string): Problem[] {
    let validators = this.#validators.get(definition);
    if (validators === undefined) {
      const compiled = this.#compile(definition);
      if (compiled.problems.length > 0) throw schemaInvalid(definition.action, compiled.problems);
      validators = compiled.validators;
      this.#validators.set(definition, validators);
    }
    const validate = validators[part];
    if (validate === undefined || validate(value)) return [];
    return problemsFromAjv(validate.errors, base);
  }

  #compile(definition: ActionDefinition): { validators: Validators; problems: Problem[] } {
    const validators: Validators = {};
    const problems: Problem[] = [];
    for (const [field, part] of PARTS) {
      const schema = definition[field];
      if (schema === undefined) continue;
      try {
        validators[part] = compileSchema(schema);
      } catch (cause) {
        const reason = cause instanceof Error ? cause.message : String(cause);
        problems.push({ pointer: `/${field}`, message: `is not a valid JSON Schema 2020-12: ${reason}` });
      }
    }
    return { validators, problems };
  }

  #add(untrusted: ActionDefinition, checkCompatibility: boolean): ActionDefinition {
    let plain: JsonValue;
    try {
      plain = JSON.parse(JSON.stringify(untrusted)) as JsonValue;
    } catch (cause) {
      throw new InvalidInputError("SCHEMA_INVALID", "the definition is not JSON", {
        cause,
        problems: [{ pointer: "", message: "must be a JSON object without cycles" }],
      });
    }
    const problems = checkActionDefinition(plain);
    if (problems.length > 0) throw schemaInvalid((plain as { action?: unknown }).action, problems);
    const definition = deepFreeze(plain as unknown as ActionDefinition);
    const history = this.#versions.get(definition.action) ?? [];
    const previous = history[history.length - 1];
    const existing = history[definition.version - 1];
    if (!checkCompatibility && existing !== undefined && sameDefinition(existing, definition)) return existing;
    if (definition.version !== history.length + 1) {
      const after = previous === undefined ? "it is the first version" : `the latest is ${previous.version}`;
      problems.push({ pointer: "/version", message: `must be ${history.length + 1}, since ${after}` });
    }
    const compiled = this.#compile(definition);
    problems.push(...compiled.problems);
    if (problems.length > 0) throw schemaInvalid(definition.action, problems);
    if (checkCompatibility && previous !== undefined) {
      const reasons = PARTS.flatMap(([field]) =>
        compatibilityProblems(previous[field] ?? true, definition[field] ?? true, `/${field}`),
      );
      if (reasons.length > 0) {
        throw new InvalidInputError(
          "SCHEMA_INCOMPATIBLE",
          `version ${definition.version} of "${definition.action}" would reject events version ${previous.version} accepts`,
          { problems: reasons },
        );
      }
    }
    this.#validators.set(definition, compiled.validators);
    this.#versions.set(definition.action, [...history, definition]);
    return definition;
  }
}
