// `trailproof verify --proof FILE --key VKEY [--event FILE]`: verifies a C2SP
// tlog-proof offline with core's verifyTlogProof. --event names the event the
// proof should be for: its leaf data (the committed event's JSON, as
// GET /v1/log/entries serves it), compared in RFC 8785 form.
import { readFileSync } from "node:fs";
import { encodeCanonicalJson, fromUtf8, TrailproofError, utf8, verifyTlogProof } from "@trailproof/core";
import { nodeHasher } from "@trailproof/ledger";

export function verifyProofFile(file: string, keys: readonly string[], eventFile: string | undefined): void {
  if (keys.length === 0) {
    throw new TrailproofError("VERIFY_OPTIONS_INVALID", "--proof needs the log's verifier key, pinned: --key");
  }
  const text = readText(file);
  const leafData = eventFile === undefined ? undefined : leafOf(eventFile);
  try {
    const r = verifyTlogProof(text, { verifierKeys: keys, leafData, hasher: nodeHasher });
    const id = eventId(r.leafData);
    process.stdout.write(
      `OK proof ${file}: ${id === undefined ? "the entry" : `event ${JSON.stringify(id)}`} at index ${r.index} (leaf hash ${r.leafHash}) is in ${r.origin}'s signed checkpoint of size ${r.treeSize}\n`,
    );
  } catch (err) {
    if (!(err instanceof TrailproofError)) throw err;
    process.stdout.write(`FAILED proof ${file}: ${err.code}: ${err.message}\n`);
    process.exitCode = 1;
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (cause) {
    throw new TrailproofError("VERIFY_OPTIONS_INVALID", `cannot read ${file}`, { cause });
  }
}

/** The event file as leaf data: JSON, re-encoded in RFC 8785 form. */
function leafOf(file: string): Uint8Array {
  let value: unknown;
  try {
    value = JSON.parse(readText(file));
  } catch (cause) {
    throw new TrailproofError("VERIFY_OPTIONS_INVALID", `--event ${file} is not JSON`, { cause });
  }
  return utf8(encodeCanonicalJson(value));
}

function eventId(leafData: Uint8Array): string | undefined {
  try {
    const id = (JSON.parse(fromUtf8(leafData)) as { id?: unknown }).id;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}
