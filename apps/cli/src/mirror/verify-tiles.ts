// `trailproof verify --tiles URL-or-DIR --key VKEY [--checkpoint FILE...]`:
// verifies a tlog-tiles copy with core's verifyTiles and prints one line (or
// JSON); exit code 1 when it does not verify.
import { TrailproofError, verifyTiles } from "@trailproof/core";
import { nodeHasher } from "@trailproof/ledger";
import { printJson, progressReporter } from "../output.js";
import { tileReaderFor } from "./tile-readers.js";

export interface VerifyTilesOptions {
  keys: readonly string[];
  /** Checkpoints published earlier (signed notes). */
  previous: readonly { source: string; note: string }[];
  json: boolean;
}

export async function verifyTilesAt(location: string, options: VerifyTilesOptions): Promise<void> {
  if (options.keys.length === 0) {
    throw new TrailproofError(
      "VERIFY_OPTIONS_INVALID",
      "--tiles needs the log's verifier key, pinned: --key (GET /v1/log/key); a copy cannot vouch for itself",
    );
  }
  try {
    const report = await verifyTiles(tileReaderFor(location), {
      verifierKeys: options.keys,
      previous: options.previous.map((p) => p.note),
      hasher: nodeHasher,
      onProgress: progressReporter("verify tiles"),
    });
    if (options.json) {
      printJson({ ok: true, tiles: location, ...report });
      return;
    }
    process.stdout.write(
      `OK ${location}: ${report.origin}, ${report.treeSize} entries rehashed, every tile and the root ${report.rootHash} match the signed checkpoint\n`,
    );
    if (report.consistentWith.length > 0) {
      process.stdout.write(`  consistent with the earlier checkpoints of size ${report.consistentWith.join(", ")}\n`);
    }
    if (report.prunedEntries > 0) {
      process.stdout.write(
        `  pruned: ${report.prunedEntries} entries carried as stand-ins (leaf hashes checked, each listed by its retention.prune entry)\n`,
      );
    }
    if (report.oversizeEntries.length > 0) {
      process.stdout.write(
        `  ${report.oversizeEntries.length} entries over 65,535 bytes carried as stand-ins (leaf hashes checked, bodies not in the copy): ${report.oversizeEntries.join(", ")}\n`,
      );
    }
  } catch (err) {
    if (!(err instanceof TrailproofError)) throw err;
    if (options.json) printJson({ ok: false, tiles: location, code: err.code, message: err.message });
    else process.stdout.write(`FAILED ${location}: ${err.code}: ${err.message}\n`);
    process.exitCode = 1;
  }
}
