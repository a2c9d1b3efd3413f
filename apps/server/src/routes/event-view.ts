// How an entry is shown to a caller: its committed form, with personal
// fields revealed (and each disclosure checked against its commitment) only
// for roles allowed to read them.
import { fromUtf8, type JsonObject, revealEvent } from "@trailproof/core";
import { type Ledger, nodeHasher } from "@trailproof/ledger";
import { type EventItem, type Role, roleAllows } from "@trailproof/protocol";

export async function toEventItem(
  ledger: Ledger,
  tenant: string,
  role: Role,
  entry: { index: number; leafData: Uint8Array },
): Promise<EventItem> {
  const committed = JSON.parse(fromUtf8(entry.leafData)) as JsonObject;
  if (!roleAllows(role, "read_personal")) return { index: entry.index, redacted: true, event: committed };
  const disclosures = await ledger.disclosures(tenant, entry.index);
  return { index: entry.index, redacted: false, event: revealEvent(committed, disclosures, nodeHasher) };
}

export function toEventItems(
  ledger: Ledger,
  tenant: string,
  role: Role,
  entries: readonly { index: number; leafData: Uint8Array }[],
): Promise<EventItem[]> {
  return Promise.all(entries.map((e) => toEventItem(ledger, tenant, role, e)));
}
