// Where and why bytes are not UTF-8, by the well-formed byte sequences of
// Unicode 15 Table 3-7 (the same rules as RFC 3629 section 4). Runs only once
// a fatal TextDecoder has refused the bytes, to tell the sender what to fix.

/** The first ill-formed sequence of `bytes`: its offset and what is wrong with it. */
export interface Utf8Error {
  offset: number;
  reason: string;
}

/** Second-byte range of each lead byte that restricts it (Table 3-7); others take 80..BF. */
function secondByteRange(lead: number): [number, number] {
  if (lead === 0xe0) return [0xa0, 0xbf];
  if (lead === 0xed) return [0x80, 0x9f];
  if (lead === 0xf0) return [0x90, 0xbf];
  if (lead === 0xf4) return [0x80, 0x8f];
  return [0x80, 0xbf];
}

function hex(bytes: Uint8Array, from: number, count: number): string {
  return Array.from(bytes.subarray(from, from + count), (b) => b.toString(16).toUpperCase().padStart(2, "0")).join(" ");
}

/** Why `second` cannot follow `lead`, a lead byte whose second-byte range is restricted. */
function restrictedReason(lead: number, second: number): string {
  if (lead === 0xed && second >= 0xa0) return "a UTF-16 surrogate (U+D800 to U+DFFF) encoded as UTF-8";
  if (lead === 0xf4 && second >= 0x90) return "a code point above U+10FFFF";
  return "an overlong encoding";
}

/** The first ill-formed sequence in `bytes`, or undefined when they are all UTF-8. */
export function findUtf8Error(bytes: Uint8Array): Utf8Error | undefined {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] as number;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const at = (reason: string, length: number): Utf8Error => ({
      offset: i,
      reason: `${reason} (bytes ${hex(bytes, i, length)})`,
    });
    if (lead < 0xc0) return at("a continuation byte with no lead byte", 1);
    if (lead < 0xc2) return at("an overlong encoding", 2);
    if (lead > 0xf4) return at(lead < 0xf8 ? "a code point above U+10FFFF" : "a byte that never occurs in UTF-8", 1);
    const length = lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
    const [low, high] = secondByteRange(lead);
    for (let k = 1; k < length; k++) {
      const b = bytes[i + k];
      if (b === undefined) return at("a sequence cut off by the end of the body", k);
      const [min, max] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (b >= min && b <= max) continue;
      if (k === 1 && b >= 0x80 && b <= 0xbf) return at(restrictedReason(lead, b), length);
      return at("a sequence cut off by a byte that does not continue it", k + 1);
    }
    i += length;
  }
  return undefined;
}
