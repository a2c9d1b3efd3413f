// C2SP tlog-proof (c2sp.org/tlog-proof@v1): an offline-verifiable proof that
// an entry is in a log. Lines: the header, an optional `extra <base64>` line,
// `index <decimal>`, the RFC 6962 inclusion proof (one base64 hash a line,
// from the leaf's sibling up), an empty line, then the signed checkpoint
// verbatim. Trailproof puts the entry's leaf data in `extra`, so the proof
// alone recomputes the leaf hash; it is unauthenticated until the proof holds.
import { fromBase64, toBase64 } from "../bytes.js";
import { InvalidInputError } from "../errors.js";
import { HASH_SIZE } from "../merkle/rfc6962.js";

export const TLOG_PROOF_HEADER = "c2sp.org/tlog-proof@v1";

export interface TlogProof {
  /** Opaque extra data; for Trailproof, the entry's leaf data. */
  extra?: Uint8Array;
  index: bigint;
  inclusionProof: Uint8Array[];
  /** The signed checkpoint note, verbatim. */
  checkpoint: string;
}

export function encodeTlogProof(proof: TlogProof): string {
  const lines = [TLOG_PROOF_HEADER];
  if (proof.extra !== undefined) lines.push(`extra ${toBase64(proof.extra)}`);
  lines.push(`index ${proof.index.toString(10)}`);
  for (const h of proof.inclusionProof) lines.push(toBase64(h));
  return `${lines.join("\n")}\n\n${proof.checkpoint}`;
}

/** Parses a tlog-proof. `text` is untrusted: PROOF_FORMAT_INVALID says what is wrong. */
export function parseTlogProof(text: string): TlogProof {
  const fail = (why: string) => new InvalidInputError("PROOF_FORMAT_INVALID", `not a tlog-proof: ${why}`);
  const split = text.indexOf("\n\n");
  if (split < 0) throw fail("no empty line before the checkpoint");
  const head = text.slice(0, split).split("\n");
  const checkpoint = text.slice(split + 2);
  if (head[0] !== TLOG_PROOF_HEADER) throw fail(`the first line must be ${TLOG_PROOF_HEADER}`);
  let at = 1;
  let extra: Uint8Array | undefined;
  if (head[at]?.startsWith("extra ")) {
    extra = decode((head[at] as string).slice(6), fail, "extra data");
    at++;
  }
  const indexLine = head[at] ?? "";
  const m = /^index (0|[1-9][0-9]*)$/.exec(indexLine);
  if (!m) throw fail("expected `index N` (decimal, no leading zeros)");
  const index = BigInt(m[1] as string);
  if (index >= 1n << 64n) throw fail("index exceeds 64 bits");
  const inclusionProof = head.slice(at + 1).map((line, i) => {
    const hash = decode(line, fail, `inclusion proof line ${i + 1}`);
    if (hash.length !== HASH_SIZE) throw fail(`inclusion proof line ${i + 1} is not a ${HASH_SIZE}-byte hash`);
    return hash;
  });
  if (inclusionProof.length > 64) throw fail("more than 64 inclusion proof hashes");
  if (checkpoint.length === 0) throw fail("no checkpoint after the empty line");
  return { ...(extra === undefined ? {} : { extra }), index, inclusionProof, checkpoint };
}

function decode(text: string, fail: (why: string) => InvalidInputError, what: string): Uint8Array {
  try {
    // Canonical base64 only: the decoded bytes must encode back to the same text.
    const bytes = fromBase64(text);
    if (toBase64(bytes) !== text) throw new Error("not canonical");
    return bytes;
  } catch {
    throw fail(`${what} is not base64`);
  }
}
