// Offline verification of an export bundle (see bundle-format.ts) with no
// database: every line is hashed, every root at a signed checkpoint is
// recomputed, every signature checked. Keys come from the caller when pinned;
// keys read from the bundle itself only prove the bundle is self-consistent.
import { utf8 } from "../bytes.js";
import { InvalidInputError } from "../errors.js";
import type { Hasher } from "../hasher.js";
import { parseVerifierKey } from "../note/verifier-key.js";
import { BUNDLE_FORMAT, type BundleHeader } from "./bundle-format.js";
import { type Divergence, LogVerifier } from "./log-verifier.js";

export interface BundleReport {
  tenant: string;
  origin: string;
  treeSize: number;
  checkpoints: number;
  /** True when the caller pinned the keys; false when the bundle's own keys were used. */
  keysPinned: boolean;
  ok: boolean;
  divergences: Divergence[];
}

export interface VerifyBundleOptions {
  verifierKeys?: readonly string[];
  onProgress?: (verified: number, total: number) => void;
}

/** `lines` yields the bundle's lines without their newline. Throws BUNDLE_MALFORMED on bad structure. */
export async function verifyBundle(
  hasher: Hasher,
  lines: AsyncIterable<string>,
  options: VerifyBundleOptions = {},
): Promise<BundleReport> {
  const it = lines[Symbol.asyncIterator]();
  const next = async (what: string) => {
    const r = await it.next();
    if (r.done) throw malformed(`the bundle ends before ${what}`);
    return r.value;
  };
  const header = parseHeader(await next("its header"));
  const notes: string[] = [];
  for (let i = 0; i < header.checkpoints; i++) {
    const line = JSON.parse(await next(`checkpoint ${i}`)) as { checkpoint?: unknown };
    if (typeof line.checkpoint !== "string") throw malformed(`checkpoint line ${i} has no checkpoint`);
    notes.push(line.checkpoint);
  }
  const keysPinned = options.verifierKeys !== undefined && options.verifierKeys.length > 0;
  const keys = keysPinned ? (options.verifierKeys as string[]) : header.verifier_keys.map((k) => k.verifier_key);
  const verifier = new LogVerifier(hasher, {
    origin: header.origin,
    verifiers: keys.map((k) => parseVerifierKey(hasher, k)),
    checkpoints: notes,
  });
  let index = 0;
  for (;;) {
    const r = await it.next();
    if (r.done) break;
    verifier.addEntry(index, utf8(r.value));
    index++;
    if (index % 10_000 === 0) options.onProgress?.(index, header.tree_size);
  }
  options.onProgress?.(index, header.tree_size);
  if (index !== header.tree_size) {
    verifier.report(
      "LOG_TRUNCATED",
      Math.min(index, header.tree_size),
      `the header announces ${header.tree_size} entries, the bundle has ${index}`,
    );
  }
  const divergences = verifier.finish();
  return {
    tenant: header.tenant,
    origin: header.origin,
    treeSize: index,
    checkpoints: verifier.checkpoints.length,
    keysPinned,
    ok: divergences.length === 0 && verifier.checkpoints.length > 0,
    divergences,
  };
}

function parseHeader(line: string): BundleHeader {
  let h: Partial<BundleHeader>;
  try {
    h = JSON.parse(line) as Partial<BundleHeader>;
  } catch {
    throw malformed("the header is not JSON");
  }
  if (h.format !== BUNDLE_FORMAT) throw malformed(`not a ${BUNDLE_FORMAT} bundle`);
  if (typeof h.origin !== "string" || typeof h.tenant !== "string")
    throw malformed("the header lacks origin or tenant");
  if (!Number.isSafeInteger(h.tree_size) || !Number.isSafeInteger(h.checkpoints))
    throw malformed("bad counts in header");
  if (!Array.isArray(h.verifier_keys)) throw malformed("the header lacks verifier_keys");
  return h as BundleHeader;
}

function malformed(message: string): InvalidInputError {
  return new InvalidInputError("BUNDLE_MALFORMED", message);
}
