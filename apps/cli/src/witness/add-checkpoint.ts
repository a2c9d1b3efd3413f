// The witness's decision on one C2SP tlog-witness `add-checkpoint` request:
// parse "old N" + consistency proof lines + blank line + signed checkpoint,
// check the log's signature, the old size against the latest cosigned one and
// the RFC 6962 consistency proof, record the new checkpoint durably, and only
// then answer its cosignature. Status codes are the spec's (docs/witness.md).
import {
  type Cosigner,
  equalBytes,
  fromBase64,
  type Hasher,
  type NoteVerifier,
  parseCheckpointBody,
  parseNote,
  verifyConsistency,
  verifyNote,
} from "@trailproof/core";
import type { WitnessState } from "./witness-state.js";

export interface WitnessAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** The spec's limit on consistency proof lines. */
const MAX_PROOF_LINES = 63;

interface AddCheckpointRequest {
  oldSize: bigint;
  proof: Uint8Array[];
  checkpoint: string;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Parses the request body. `text` comes from anyone: every flaw is a 400. */
export function parseAddCheckpointRequest(text: string): AddCheckpointRequest {
  const split = text.indexOf("\n\n");
  if (split < 0) throw new Refusal(400, "the body needs an old size line, proof lines, a blank line and a checkpoint");
  const [oldLine, ...proofLines] = text.slice(0, split).split("\n") as [string, ...string[]];
  const old = /^old (0|[1-9][0-9]{0,19})$/.exec(oldLine);
  if (!old) throw new Refusal(400, 'the first line must be "old <size>" in decimal without leading zeros');
  if (proofLines.length > MAX_PROOF_LINES) throw new Refusal(400, `at most ${MAX_PROOF_LINES} consistency proof lines`);
  const proof = proofLines.map((line) => {
    let hash: Uint8Array | undefined;
    try {
      hash = fromBase64(line);
    } catch {
      hash = undefined;
    }
    if (hash?.length !== 32) throw new Refusal(400, "each consistency proof line must be one base64 SHA-256 hash");
    return hash;
  });
  return { oldSize: BigInt(old[1] as string), proof, checkpoint: text.slice(split + 2) };
}

export interface WitnessOptions {
  cosigner: Cosigner;
  /** Each trusted origin's checkpoint verifiers. */
  logs: ReadonlyMap<string, readonly NoteVerifier[]>;
  state: WitnessState;
  hasher: Hasher;
  now: () => Date;
  /** Told of a validly signed checkpoint the witness refused: possible evidence of a log's misbehaviour. */
  onRefused?: (origin: string, status: number, reason: string) => void;
}

export class Witness {
  readonly #o: WitnessOptions;
  /** One request at a time per origin: the check of the old size and the write of the new one are atomic. */
  readonly #locks = new Map<string, Promise<unknown>>();

  constructor(options: WitnessOptions) {
    this.#o = options;
  }

  async addCheckpoint(body: string): Promise<WitnessAnswer> {
    try {
      return await this.#add(body);
    } catch (err) {
      if (err instanceof Refusal) {
        return { status: err.status, contentType: "text/plain; charset=utf-8", body: `${err.message}\n` };
      }
      throw err;
    }
  }

  async #add(body: string): Promise<WitnessAnswer> {
    const request = parseAddCheckpointRequest(body);
    let text: string;
    let checkpoint: ReturnType<typeof parseCheckpointBody>;
    try {
      text = parseNote(request.checkpoint).text;
      checkpoint = parseCheckpointBody(text);
    } catch {
      throw new Refusal(400, "the checkpoint is not a signed note in the tlog-checkpoint format");
    }
    const verifiers = this.#o.logs.get(checkpoint.origin);
    if (!verifiers) throw new Refusal(404, `unknown log origin ${JSON.stringify(checkpoint.origin)}`);
    if (!verifiers.some((v) => signedBy(request.checkpoint, v))) {
      throw new Refusal(403, "no signature on the checkpoint verifies against a key trusted for its origin");
    }
    if (request.oldSize > checkpoint.treeSize)
      throw new Refusal(400, "the old size is larger than the checkpoint size");
    const origin = checkpoint.origin;
    const previous = this.#locks.get(origin) ?? Promise.resolve();
    const run = previous.then(() => this.#decide(origin, request, checkpoint.treeSize, checkpoint.rootHash, text));
    const settled = run.catch(() => undefined);
    this.#locks.set(origin, settled);
    void settled.then(() => {
      if (this.#locks.get(origin) === settled) this.#locks.delete(origin);
    });
    return run;
  }

  /** Runs under the origin's lock. */
  async #decide(
    origin: string,
    request: AddCheckpointRequest,
    treeSize: bigint,
    rootHash: Uint8Array,
    text: string,
  ): Promise<WitnessAnswer> {
    const latest = this.#o.state.read(origin);
    const latestSize = latest?.treeSize ?? 0n;
    if (request.oldSize !== latestSize) return conflict(latestSize);
    if (request.oldSize === 0n && request.proof.length > 0) {
      throw new Refusal(400, "the consistency proof must be empty when the old size is 0");
    }
    if (latest !== undefined && request.oldSize === treeSize) {
      if (!equalBytes(latest.rootHash, rootHash)) {
        this.#o.onRefused?.(origin, 409, `a second root hash for tree size ${treeSize}`);
        return conflict(latestSize);
      }
      if (request.proof.length > 0) throw new Refusal(422, "equal sizes need an empty consistency proof");
    } else if (latest !== undefined && request.oldSize > 0n) {
      try {
        verifyConsistency(this.#o.hasher, request.oldSize, treeSize, request.proof, latest.rootHash, rootHash);
      } catch {
        this.#o.onRefused?.(origin, 422, `no consistency from tree size ${request.oldSize} to ${treeSize}`);
        throw new Refusal(422, `the consistency proof from size ${request.oldSize} to ${treeSize} does not verify`);
      }
    }
    const at = this.#o.now();
    // Persisted before the answer: a crash after this line cosigns nothing older again.
    this.#o.state.write(origin, { treeSize, rootHash }, request.checkpoint, at);
    const line = this.#o.cosigner.cosign(text, BigInt(Math.floor(at.getTime() / 1000)));
    return { status: 200, contentType: "text/plain; charset=utf-8", body: `${line}\n` };
  }
}

function signedBy(note: string, verifier: NoteVerifier): boolean {
  try {
    verifyNote(note, verifier);
    return true;
  } catch {
    return false;
  }
}

/** 409 with the latest cosigned size, as the spec gives it. */
function conflict(size: bigint): WitnessAnswer {
  return { status: 409, contentType: "text/x.tlog.size", body: `${size.toString(10)}\n` };
}
