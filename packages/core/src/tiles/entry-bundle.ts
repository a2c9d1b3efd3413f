// An entry bundle's bytes (C2SP tlog-tiles, "Log entries"): each entry as a
// big-endian uint16 length followed by that many bytes, in log order. So an
// entry above 65,535 bytes cannot be carried; the mirror writes a stand-in
// for it (oversize-entry-line.ts).
import { InvalidInputError } from "../errors.js";
import { TILE_WIDTH } from "./tile-path.js";

/** The largest entry an entry bundle can hold: a uint16 length. */
export const MAX_BUNDLE_ENTRY_BYTES = 0xffff;

export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  if (entries.length < 1 || entries.length > TILE_WIDTH) {
    throw new InvalidInputError("TILE_INVALID", `an entry bundle holds 1 to ${TILE_WIDTH} entries`);
  }
  let total = 0;
  for (const e of entries) {
    if (e.length > MAX_BUNDLE_ENTRY_BYTES) {
      throw new InvalidInputError("TILE_INVALID", `an entry of ${e.length} bytes does not fit an entry bundle`);
    }
    total += 2 + e.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const e of entries) {
    out[at] = e.length >> 8;
    out[at + 1] = e.length & 0xff;
    out.set(e, at + 2);
    at += 2 + e.length;
  }
  return out;
}

/** The entries of a bundle that MUST hold exactly `count` of them. `bytes` is untrusted. */
export function parseEntryBundle(bytes: Uint8Array, count: number, path: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 2 > bytes.length) throw bad(path, `a length prefix is cut off at byte ${at}`);
    const length = ((bytes[at] as number) << 8) | (bytes[at + 1] as number);
    if (at + 2 + length > bytes.length) throw bad(path, `entry ${out.length} runs past the end of the bundle`);
    out.push(bytes.subarray(at + 2, at + 2 + length));
    at += 2 + length;
  }
  if (out.length !== count) throw bad(path, `holds ${out.length} entries, not ${count}`);
  return out;
}

function bad(path: string, why: string): InvalidInputError {
  return new InvalidInputError("TILE_INVALID", `entry bundle ${path} ${why}`);
}
