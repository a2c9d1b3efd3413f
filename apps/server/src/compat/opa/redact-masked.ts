// What OPA's mask policy hid stays hidden: values at the `erased` pointers
// are already gone from what OPA sends, and the values at the `masked`
// pointers (replacements the mask policy chose, often a hash or a partial
// value) are removed too, so neither reaches the log. Captured request
// headers that carry credentials are never kept either.

/** An RFC 6901 pointer's reference tokens; undefined for a string that is no pointer. */
function tokensOf(pointer: string): string[] | undefined {
  if (!pointer.startsWith("/")) return undefined;
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/**
 * `parts` (the decision's input, result and mapped_result by name, deep
 * copies the caller owns) with the value at each pointer of `masked` removed:
 * an object member is deleted, an array element becomes null (the other
 * elements keep their indexes, as the pointers OPA lists expect). Pointers
 * naming nothing are skipped: OPA lists what its mask policy named.
 */
export function removeMasked(parts: Record<string, unknown>, masked: readonly string[]): void {
  for (const pointer of masked) {
    const tokens = tokensOf(pointer);
    if (tokens === undefined || tokens.length === 0) continue;
    const last = tokens[tokens.length - 1] as string;
    if (tokens.length === 1) {
      if (Object.hasOwn(parts, last)) delete parts[last];
      continue;
    }
    let node: unknown = parts;
    for (const token of tokens.slice(0, -1)) {
      node =
        typeof node === "object" && node !== null && Object.hasOwn(node, token)
          ? (node as Record<string, unknown>)[token]
          : undefined;
    }
    if (Array.isArray(node)) {
      if (/^\d+$/.test(last) && Number(last) < node.length) node[Number(last)] = null;
    } else if (typeof node === "object" && node !== null && Object.hasOwn(node, last)) {
      delete (node as Record<string, unknown>)[last];
    }
  }
}

/** Header names that carry credentials or sessions: never kept, whatever OPA was told to capture. */
const CREDENTIAL_HEADER = /authorization|cookie|token|secret|password|passwd|api[-_]?key|session|credential|signature/i;

/** The captured request headers (`request_context.http.headers`) without those that carry credentials. */
export function keptHeaders(headers: Record<string, string[]> | undefined): Record<string, string[]> | undefined {
  if (headers === undefined) return undefined;
  const kept = Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADER.test(name));
  return kept.length === 0 ? undefined : Object.fromEntries(kept);
}
