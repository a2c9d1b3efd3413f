// How an entry is shown to a caller: its committed form, with personal
// fields revealed (and each disclosure checked against its commitment) only
// for roles allowed to read them. Roles that may not read them also see
// people's ids as the tenant's keyed pseudonyms (privacy/pseudonyms.ts).
import { fromUtf8, type JsonObject, revealEventChecked } from "@trailproof/core";
import { type Ledger, nodeHasher } from "@trailproof/ledger";
import { type EventItem, type Role, roleAllows } from "@trailproof/protocol";
import { pseudonymousView } from "../privacy/pseudonyms.js";

export async function toEventItem(
  ledger: Ledger,
  tenant: string,
  role: Role,
  entry: { index: number; leafData: Uint8Array },
): Promise<EventItem> {
  const committed = JSON.parse(fromUtf8(entry.leafData)) as JsonObject;
  if (!roleAllows(role, "read_personal")) {
    return { index: entry.index, redacted: true, event: await pseudonymousView(ledger, tenant, committed) };
  }
  const disclosures = await ledger.disclosures(tenant, entry.index);
  const { event, withheld } = revealEventChecked(committed, disclosures, nodeHasher);
  if (withheld.length === 0) return { index: entry.index, redacted: false, event };
  // Never the stored value, never a 500: the event with that value withheld, said aloud.
  for (const w of withheld) {
    ledger.readDivergences.report({
      tenant,
      index: entry.index,
      kind: "DISCLOSURE_MISMATCH",
      message: `entry ${entry.index}'s stored value for ${w.pointer} does not open its commitment: withheld`,
    });
  }
  return {
    index: entry.index,
    redacted: false,
    event,
    withheld,
    warnings: withheld.map(
      (w) =>
        `the stored value for ${w.pointer} does not match the sealed commitment and is withheld; run trailproof verify`,
    ),
  };
}

export function toEventItems(
  ledger: Ledger,
  tenant: string,
  role: Role,
  entries: readonly { index: number; leafData: Uint8Array }[],
): Promise<EventItem[]> {
  return Promise.all(entries.map((e) => toEventItem(ledger, tenant, role, e)));
}
