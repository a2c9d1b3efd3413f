// `trailproof verify --bundle FILE`: core's bundleReportFromBytes over the file
// read in large chunks, with leaves hashed on worker threads and signatures
// checked by node:crypto. Two read
// buffers take turns, so the next read runs while this one is being split
// and no chunk costs a new allocation.
import { open } from "node:fs/promises";
import { type BundleReport, bundleReportFromBytes, type Hasher, type SubtreeHasher } from "@trailproof/core";
import { parseNodeVerifierKey } from "../verify/node-note-verifier.js";
import { SubtreeHashPool } from "../verify/subtree-hash-pool.js";

export interface BundleFileReportOptions {
  verifierKeys?: readonly string[];
  onProgress?: (verified: number, total: number) => void;
  /** Where leaves are hashed; default: a SubtreeHashPool started and stopped by this call. */
  subtreeHasher?: SubtreeHasher;
}

const READ_BYTES = 2 ** 20;

export async function bundleFileReport(
  hasher: Hasher,
  path: string,
  options: BundleFileReportOptions = {},
): Promise<BundleReport> {
  const pool = options.subtreeHasher ? undefined : new SubtreeHashPool();
  try {
    return await bundleReportFromBytes(hasher, readChunks(path, READ_BYTES), {
      verifierKeys: options.verifierKeys,
      onProgress: options.onProgress,
      subtreeHasher: options.subtreeHasher ?? pool,
      parseVerifierKey: (key) => parseNodeVerifierKey(hasher, key),
    });
  } finally {
    await pool?.close();
  }
}

/**
 * The file's bytes in chunks of up to `chunkBytes`. A chunk stays valid only
 * until the next is requested (bundleReportFromBytes copies what it keeps).
 */
export async function* readChunks(path: string, chunkBytes: number): AsyncGenerator<Uint8Array> {
  const file = await open(path, "r");
  const buffers = [new Uint8Array(chunkBytes), new Uint8Array(chunkBytes)];
  let turn = 0;
  let reading = file.read(buffers[0] as Uint8Array, 0, chunkBytes, null);
  try {
    for (;;) {
      const { bytesRead } = await reading;
      if (bytesRead === 0) return;
      const current = buffers[turn] as Uint8Array;
      turn = 1 - turn;
      reading = file.read(buffers[turn] as Uint8Array, 0, chunkBytes, null);
      yield current.subarray(0, bytesRead);
    }
  } finally {
    // A consumer that stops early leaves a read in flight: let it settle before closing.
    await reading.catch(() => undefined);
    await file.close();
  }
}
