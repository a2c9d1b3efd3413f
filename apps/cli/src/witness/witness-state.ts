// Each log's latest cosigned checkpoint, one file per origin in DIR/state/,
// written durably (durable-file.ts) before the cosignature is answered, so a
// restarted witness compares every request with what it last cosigned and
// never cosigns a rollback or a fork of it.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fromBase64, TrailproofError, toBase64 } from "@trailproof/core";
import { writeFileDurably } from "./durable-file.js";

export interface CosignedState {
  treeSize: bigint;
  rootHash: Uint8Array;
}

interface StateFile {
  origin: string;
  tree_size: string;
  root_hash: string;
  /** The checkpoint as submitted, for the operator (evidence of what was cosigned). */
  checkpoint: string;
  cosigned_at: string;
}

export class WitnessState {
  readonly #dir: string;

  constructor(dataDir: string) {
    this.#dir = join(dataDir, "state");
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
  }

  /** Origins are untrusted text: the file name is their SHA-256, never the origin itself. */
  #path(origin: string): string {
    return join(this.#dir, `${createHash("sha256").update(origin).digest("hex")}.json`);
  }

  /** The latest cosigned checkpoint of `origin`; undefined when it never cosigned one. */
  read(origin: string): CosignedState | undefined {
    const path = this.#path(origin);
    if (!existsSync(path)) return undefined;
    try {
      const s = JSON.parse(readFileSync(path, "utf8")) as StateFile;
      return { treeSize: BigInt(s.tree_size), rootHash: fromBase64(s.root_hash) };
    } catch (cause) {
      // Fail closed: a witness that cannot read its state cosigns nothing for that log.
      throw new TrailproofError("WITNESS_INVALID", `the witness state ${path} is unreadable`, { cause });
    }
  }

  /** Records `state` durably; MUST complete before the cosignature is sent. */
  write(origin: string, state: CosignedState, checkpoint: string, at: Date): void {
    const file: StateFile = {
      origin,
      tree_size: state.treeSize.toString(10),
      root_hash: toBase64(state.rootHash),
      checkpoint,
      cosigned_at: at.toISOString(),
    };
    writeFileDurably(this.#path(origin), `${JSON.stringify(file, null, 2)}\n`);
  }
}
