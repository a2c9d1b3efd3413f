// What of an entry may leave on a stream (docs/streams.md, "Personal data").
// The leaf never holds a personal value (each is committed, its value sealed
// apart) nor a secret (never stored), so the committed event is the start.
// `drop` (the default) sends it without the commitments and with every
// person's id replaced by "redacted"; `pseudonymise` sends the tenant's keyed
// pseudonym of each person's id and of each personal value still held, so a
// SIEM can correlate one person's or one address's events without learning
// who or which. A value that was erased, or whose stored form fails its
// commitment, is left out in both: it never leaves.
import {
  encodeCanonicalJson,
  type JsonObject,
  parsePointer,
  pseudonymiseEvent,
  putAt,
  revealEventChecked,
} from "@trailproof/core";
import { type Ledger, nodeHasher } from "@trailproof/ledger";
import { pseudonymizer } from "../privacy/pseudonyms.js";
import type { StreamPersonalMode } from "./stream-types.js";

/** What a dropped person's id reads as. */
export const DROPPED_ID = "redacted";

/** The committed event without its commitments (the salted digests say nothing a consumer can check). */
function withoutCommitments(committed: JsonObject): JsonObject {
  const { privacy: _privacy, ...rest } = committed;
  return rest;
}

/** Projects committed events of one tenant for one privacy mode. */
export class StreamProjection {
  readonly #ledger: Ledger;
  readonly #tenant: string;
  readonly #mode: StreamPersonalMode;
  #pseudonym: ((id: string) => string) | undefined;

  constructor(ledger: Ledger, tenant: string, mode: StreamPersonalMode) {
    this.#ledger = ledger;
    this.#tenant = tenant;
    this.#mode = mode;
  }

  /** The event of entry `index` (its committed form `committed`) as it may leave. */
  async project(index: number, committed: JsonObject): Promise<JsonObject> {
    if (this.#mode === "drop") return pseudonymiseEvent(withoutCommitments(committed), () => DROPPED_ID);
    this.#pseudonym ??= await pseudonymizer(this.#ledger, this.#tenant);
    const pseudonym = this.#pseudonym;
    const out = pseudonymiseEvent(withoutCommitments(committed), pseudonym);
    const privacy = committed.privacy as JsonObject | undefined;
    if (privacy?.commitments === undefined) return out;
    const opened = await this.#ledger.openDisclosures(this.#tenant, index);
    const values = opened.flatMap((d) =>
      d.state === "value" ? [{ pointer: d.pointer, salt: d.salt, value: d.value }] : [],
    );
    // Only values that open their commitment; erased, sealed and unreadable ones stay out.
    const { withheld } = revealEventChecked(committed, values, nodeHasher);
    const refused = new Set(withheld.map((w) => w.pointer));
    for (const v of values) {
      if (refused.has(v.pointer)) continue;
      const tokens = parsePointer(v.pointer);
      if (tokens === undefined || tokens.length === 0) continue;
      const text = typeof v.value === "string" ? v.value : encodeCanonicalJson(v.value);
      putAt(out, tokens, pseudonym(text));
    }
    return out;
  }
}
