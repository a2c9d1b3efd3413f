// How an entry is shown to a caller: its committed form, with personal
// fields revealed (and each disclosure checked against its commitment) only
// for roles allowed to read them. Roles that may not read them also see
// people's ids as the tenant's keyed pseudonyms (privacy/pseudonyms.ts). An
// erased personal value shows its erased marker at its pointer
// ({"$erased": {...}}), never a gap and never null.
import {
  fromUtf8,
  type JsonObject,
  type JsonValue,
  parsePointer,
  putAt,
  revealEventChecked,
  type WithheldValue,
} from "@trailproof/core";
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
  const opened = await ledger.openDisclosures(tenant, entry.index);
  const values = opened.flatMap((d) =>
    d.state === "value" ? [{ pointer: d.pointer, salt: d.salt, value: d.value }] : [],
  );
  const { event, withheld } = revealEventChecked(committed, values, nodeHasher);
  const unreadable: WithheldValue[] = opened
    .filter((d) => d.state === "unreadable" || d.state === "sealed")
    .map((d) => ({ pointer: d.pointer, reason: "commitment_mismatch" }));
  const allWithheld = [...withheld, ...unreadable];
  const erased: NonNullable<EventItem["erased"]> = [];
  for (const d of opened) {
    if (d.state !== "erased") continue;
    const tokens = parsePointer(d.pointer);
    if (tokens && tokens.length > 0 && putAt(event, tokens, d.marker as unknown as JsonValue)) {
      erased.push({ pointer: d.pointer, ...d.marker.$erased });
    }
  }
  const item: EventItem = { index: entry.index, redacted: false, event };
  if (erased.length > 0) item.erased = erased;
  if (allWithheld.length === 0) return item;
  // Never the stored value, never a 500: the event with that value withheld, said aloud.
  for (const w of allWithheld) {
    ledger.readDivergences.report({
      tenant,
      index: entry.index,
      kind: "DISCLOSURE_MISMATCH",
      message: `entry ${entry.index}'s stored value for ${w.pointer} does not open its commitment: withheld`,
    });
  }
  return {
    ...item,
    withheld: allWithheld,
    warnings: allWithheld.map(
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
