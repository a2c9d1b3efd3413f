// Pseudonyms on the server: the tenant's keyed pseudonym of a person's id
// (core privacy/pseudonym.ts), the pseudonymous view of an event for readers
// who may not see personal values, and resolving a pseudonym back to the id
// it stands for by trying every person id the tenant's entries name.
import { type JsonObject, pseudonymiseEvent, pseudonymOf } from "@trailproof/core";
import { type AuditQuery, type Ledger, nodeHasher } from "@trailproof/ledger";

/** How many ids one read of the projection returns while resolving. */
const RESOLVE_PAGE = 1_000;

/** `id`'s pseudonym function for `tenant` (the key is read once and cached by the ledger). */
export async function pseudonymizer(ledger: Ledger, tenant: string): Promise<(id: string) => string> {
  const key = await ledger.pseudonyms.keyOf(tenant);
  return (id) => pseudonymOf(nodeHasher, key, id);
}

/** `event` with people's ids replaced by the tenant's pseudonyms. */
export async function pseudonymousView(ledger: Ledger, tenant: string, event: JsonObject): Promise<JsonObject> {
  return pseudonymiseEvent(event, await pseudonymizer(ledger, tenant));
}

/**
 * The person id whose pseudonym is `pseudonym`, or undefined when no actor
 * or target the tenant's entries name has it. Each candidate's pseudonym is
 * recomputed, so only the right id can match, whatever the projection holds.
 */
export async function resolvePseudonym(
  ledger: Ledger,
  query: AuditQuery,
  tenant: string,
  tenantId: number,
  pseudonym: string,
): Promise<string | undefined> {
  const of = await pseudonymizer(ledger, tenant);
  let after = "";
  for (;;) {
    const ids = await query.personIds(tenantId, after, RESOLVE_PAGE);
    for (const id of ids) if (of(id) === pseudonym) return id;
    if (ids.length < RESOLVE_PAGE) return undefined;
    after = ids[ids.length - 1] as string;
  }
}
