// Verifies the whole log in the browser with core's LogVerifier: fetch the
// latest signed checkpoint, stream every entry (pages of 1,000, each line
// exactly the leaf data), recompute the RFC 6962 root and compare it with the
// signed one. The server is not trusted for anything but bytes.
import {
  type Divergence,
  LogVerifier,
  type NoteVerifier,
  parseCheckpointBody,
  parseNote,
  parseVerifierKey,
  portableHasher,
} from "@trailproof/core";
import type { ApiClient } from "../api/api-client.js";
import type { TrustedKeys } from "./proof.js";

export const ENTRIES_PER_PAGE = 1000;

export interface LogVerification {
  ok: boolean;
  /** The signed checkpoint note the entries were checked against, as the server sent it. */
  checkpoint: string;
  treeSize: number;
  entriesChecked: number;
  checkpointsVerified: number;
  divergences: Divergence[];
}

/** Lines of an NDJSON page as bytes, without re-encoding (the leaf data is hashed as sent). */
export function splitLines(bytes: Uint8Array): Uint8Array[] {
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      lines.push(bytes.subarray(start, i));
      start = i + 1;
    }
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}

export async function logVerificationInBrowser(
  api: ApiClient,
  trusted: TrustedKeys,
  onProgress: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<LogVerification> {
  const verifiers: NoteVerifier[] = trusted.keys.map((k) => parseVerifierKey(portableHasher, k));
  const note = await api.text("/v1/log/checkpoint");
  // The size only says how far to read; the verifier checks the signature.
  const treeSize = Number(parseCheckpointBody(parseNote(note).text).treeSize);
  const verifier = new LogVerifier(portableHasher, { origin: trusted.origin, verifiers, checkpoints: [note] });
  onProgress(0, treeSize);

  let index = 0;
  while (index < treeSize) {
    if (signal?.aborted) throw new DOMException("verification cancelled", "AbortError");
    const end = Math.min(index + ENTRIES_PER_PAGE, treeSize);
    const lines = splitLines(await api.bytes("/v1/log/entries", { start: index, end }));
    if (lines.length === 0) {
      verifier.report("ENTRY_MISSING", index, `the server returned no entries from ${index}`);
      break;
    }
    for (const line of lines.slice(0, end - index)) {
      verifier.addEntry(index, line);
      index++;
    }
    onProgress(index, treeSize);
    // Let the page paint the progress between pages.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const divergences = verifier.finish();
  const checkpointsVerified = verifier.checkpoints.length;
  return {
    ok: divergences.length === 0 && checkpointsVerified > 0 && verifier.size === treeSize,
    checkpoint: note,
    treeSize,
    entriesChecked: verifier.size,
    checkpointsVerified,
    divergences,
  };
}
