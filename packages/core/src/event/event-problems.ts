// Every problem of an event (log format v1), stage by stage: the envelope, the
// registry, then the change section. Two entry points: a yes/no check of the
// private copy on the ingest fast path, and the full report on the input
// itself, which runs only for events that have a problem.
import { utf8 } from "../bytes.js";
import type { Problem } from "../errors.js";
import type { Hasher } from "../hasher.js";
import type { ActionDefinition } from "../schema/action-definition.js";
import type { ActionRegistry } from "../schema/action-registry.js";
import { checkAgainstRegistry, type UnknownActionPolicy } from "./check-against-registry.js";
import type { CopiedEventInput } from "./copy-event-input.js";
import { MAX_EVENT_BYTES, type PatchOperation } from "./envelope-schema.js";
import { patchProblems, stateHashProblems } from "./event-change.js";
import {
  asRecord,
  checkEventInput,
  crossFieldProblems,
  envelopeValidator,
  type JsonRecord,
  uniqueProblems,
} from "./validate-event-input.js";

export interface ProblemContext {
  registry: ActionRegistry;
  unknownActions: UnknownActionPolicy;
  hasher: Hasher;
}

function changeProblems(change: JsonRecord, hasher: Hasher): Problem[] {
  const problems = stateHashProblems(hasher, change);
  const patch = change.patch as PatchOperation[] | undefined;
  if (patch !== undefined) problems.push(...patchProblems(change.before, change.after, patch));
  return problems;
}

/**
 * Whether the copy passes every stage, and the definition it resolves to.
 * Undefined on any problem: which ones, in which order, is eventProblems'
 * job, since Ajv lists some problems in the input's key order.
 */
export function checkCopiedEvent(
  { copy, encoded }: CopiedEventInput,
  ctx: ProblemContext,
): { definition: ActionDefinition | undefined } | undefined {
  const canonical = encoded.get(copy) as string;
  // A UTF-16 code unit takes at most 3 bytes in UTF-8: measured exactly only when that bound is over.
  const bound = 3 * canonical.length;
  const bytes = bound <= MAX_EVENT_BYTES ? bound : utf8(canonical).length;
  if (bytes > MAX_EVENT_BYTES) return undefined;
  if (!envelopeValidator()(copy)) return undefined;
  if (crossFieldProblems(copy, bytes).length > 0) return undefined;
  const { definition, problems } = checkAgainstRegistry(copy, ctx.registry, ctx.unknownActions);
  if (problems.length > 0) return undefined;
  const change = asRecord(copy.change);
  if (change !== undefined && changeProblems(change, ctx.hasher).length > 0) return undefined;
  return { definition };
}

/** Every problem of `input` (untrusted), each at its pointer into the input, without repeats. */
export function eventProblems(input: unknown, ctx: ProblemContext): Problem[] {
  const { event, problems } = checkEventInput(input);
  if (event === undefined) return problems;
  // Hashes and patch are checked only when the change section is well-formed.
  const change = asRecord(event.change);
  const changeWellFormed = change !== undefined && !problems.some((p) => p.pointer.startsWith("/change"));
  problems.push(...checkAgainstRegistry(event, ctx.registry, ctx.unknownActions).problems);
  if (changeWellFormed) problems.push(...changeProblems(change, ctx.hasher));
  return uniqueProblems(problems);
}
