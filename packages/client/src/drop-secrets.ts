// Client-side privacy (docs/event-schema.md, "secret fields are never
// stored"): values an action's schema classifies `secret` are removed from
// metadata, change.before, change.after and patch values before the event is
// spooled or sent, so they never leave the process. Same pointer rules as the
// service's maskSecrets in core (event-privacy.ts), which core does not export;
// drop-secrets.test.ts checks the two agree.
import {
  type ActionPrivacy,
  findClassified,
  formatPointer,
  type JsonObject,
  type JsonValue,
  parsePointer,
  removeAt,
} from "@trailproof/core";

function asObject(value: JsonValue | undefined): JsonObject | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;
}

/** Removes every secret value from `event` in place; returns their pointers, sorted. */
export function dropSecrets(event: JsonObject, privacy: ActionPrivacy | undefined): string[] {
  if (privacy === undefined) return [];
  const found: string[][] = [];
  const add = (value: JsonValue | undefined, prefix: string[], rules: ActionPrivacy["state"], base: string[] = []) => {
    if (value === undefined) return;
    for (const rel of findClassified(value, rules, "secret", base)) found.push([...prefix, ...rel]);
  };
  add(event.metadata, ["metadata"], privacy.metadata);
  const change = asObject(event.change);
  add(change?.before, ["change", "before"], privacy.state);
  add(change?.after, ["change", "after"], privacy.state);
  const patch = Array.isArray(change?.patch) ? change.patch : [];
  patch.forEach((entry, i) => {
    const op = asObject(entry);
    const base = typeof op?.path === "string" ? parsePointer(op.path) : undefined;
    if (base !== undefined) add(op?.value, ["change", "patch", String(i), "value"], privacy.state, base);
  });
  const byPointer = new Map(found.map((tokens) => [formatPointer(tokens), tokens]));
  const pointers = [...byPointer.keys()].sort();
  // Removed deepest-last in pointer order: an array element becomes null, so sibling pointers stay valid.
  for (const pointer of pointers) removeAt(event, byPointer.get(pointer) as string[]);
  return pointers;
}
