// A witness's directory (`trailproof witness --data DIR`): its own key
// (witness.key, mode 0600), the logs it trusts (logs.json: each origin with
// its checkpoint verifier keys) and, in state/, each log's latest cosigned
// checkpoint (witness-state.ts). Nothing here is shared with a log's data.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  buildCosigner,
  type Cosigner,
  fromBase64,
  type NoteVerifier,
  parseVerifierKey,
  portableHasher,
  TrailproofError,
  toBase64,
} from "@trailproof/core";
import { writeFileDurably } from "./durable-file.js";

const KEY_FILE = "witness.key";
const LOGS_FILE = "logs.json";

interface KeyFile {
  name: string;
  seed: string;
}

export interface TrustedLog {
  origin: string;
  /** Verifier keys (vkeys, signature type 0x01) of the log's checkpoints. */
  keys: string[];
}

function invalid(message: string): TrailproofError {
  return new TrailproofError("WITNESS_INVALID", message);
}

/** The witness's cosigner, undefined before `witness init` (or a first serve) made one. */
export function loadWitnessKey(dir: string): Cosigner | undefined {
  const path = join(dir, KEY_FILE);
  if (!existsSync(path)) return undefined;
  let key: KeyFile;
  try {
    key = JSON.parse(readFileSync(path, "utf8")) as KeyFile;
  } catch (cause) {
    throw new TrailproofError("WITNESS_INVALID", `${path} is not a witness key file`, { cause });
  }
  const seed = fromBase64(key.seed);
  if (typeof key.name !== "string" || seed.length !== 32) throw invalid(`${path} is not a witness key file`);
  return buildCosigner(portableHasher, key.name, seed);
}

/**
 * The witness's key, made (a fresh Ed25519 seed) when the directory has none.
 * A key exists already under another name: WITNESS_INVALID, never replaced,
 * since every log that trusts the witness pinned the old one.
 */
export function initWitnessKey(dir: string, name: string | undefined): { cosigner: Cosigner; created: boolean } {
  const existing = loadWitnessKey(dir);
  if (existing) {
    if (name !== undefined && name !== existing.name) {
      throw invalid(`${dir} already holds the key of witness ${existing.name}; its name cannot change`);
    }
    return { cosigner: existing, created: false };
  }
  if (name === undefined) throw invalid(`${dir} has no witness key yet: pass --name NAME to make one`);
  const seed = randomBytes(32);
  // Refuses a name that is no signed-note key name (NOTE_KEY_INVALID) before anything is written.
  const cosigner = buildCosigner(portableHasher, name, seed);
  mkdirSync(join(dir, "state"), { recursive: true, mode: 0o700 });
  writeFileDurably(join(dir, KEY_FILE), `${JSON.stringify({ name, seed: toBase64(seed) })}\n`);
  return { cosigner, created: true };
}

export function readTrustedLogs(dir: string): TrustedLog[] {
  const path = join(dir, LOGS_FILE);
  if (!existsSync(path)) return [];
  try {
    return (JSON.parse(readFileSync(path, "utf8")) as { logs: TrustedLog[] }).logs;
  } catch (cause) {
    throw new TrailproofError("WITNESS_INVALID", `${path} is not a witness's list of logs`, { cause });
  }
}

/** Trusts `verifierKey` for checkpoints of `origin` (added to the keys it has). `verifierKey` is the operator's input. */
export function addTrustedLog(dir: string, origin: string, verifierKey: string): TrustedLog {
  if (origin.length === 0 || origin.includes("\n")) throw invalid("--origin must be one non-empty line");
  parseVerifierKey(portableHasher, verifierKey);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const logs = readTrustedLogs(dir);
  let log = logs.find((l) => l.origin === origin);
  if (!log) {
    log = { origin, keys: [] };
    logs.push(log);
  }
  if (!log.keys.includes(verifierKey)) log.keys.push(verifierKey);
  writeFileDurably(join(dir, LOGS_FILE), `${JSON.stringify({ logs }, null, 2)}\n`);
  return log;
}

/** Each trusted origin's checkpoint verifiers, parsed once at start. */
export function trustedVerifiers(dir: string): Map<string, NoteVerifier[]> {
  return new Map(readTrustedLogs(dir).map((l) => [l.origin, l.keys.map((k) => parseVerifierKey(portableHasher, k))]));
}
