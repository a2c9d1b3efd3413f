// Who stands behind a credential, for dual control: nobody approves their
// own request, with another key of their own included. A person signed in
// is person:<username>. An API key belongs to whoever created it, followed
// through keys that created keys, down to a person; a key made by the
// operator, the first start or the CLI stands for itself (key:<id>): the
// operator hands such keys to different people.
import type { AccessStore, PeopleStore } from "@trailproof/ledger";
import type { Principal } from "../auth/principal.js";

/** Keys created by keys, followed at most this far (a longer chain stands for its last key). */
const MAX_CHAIN = 16;

export async function ownerOf(
  principal: Principal,
  stores: { access: AccessStore; people: PeopleStore },
): Promise<string> {
  if (principal.via === "session") return `person:${principal.actor.id}`;
  if (principal.via !== "api_key" || principal.tenantId === null) return principal.id;
  let keyId = principal.id;
  for (let step = 0; step < MAX_CHAIN; step++) {
    const key = await stores.access.findApiKey(keyId);
    const by = key?.createdBy ?? null;
    if (key === undefined || by === null) break;
    if (by.startsWith("apikey:")) {
      keyId = by.slice("apikey:".length);
      continue;
    }
    const username = by.startsWith("person:") ? by.slice("person:".length) : by;
    const person = await stores.people.findPerson(principal.tenantId, username);
    if (person !== undefined) return `person:${person.username}`;
    break;
  }
  return `key:${keyId}`;
}
