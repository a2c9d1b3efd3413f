// The witness as an operator runs it: `trailproof witness serve` as a real
// process, spoken to over real HTTP with checkpoints of a test log, for every
// answer C2SP tlog-witness gives: cosignatures, 409 with the latest size,
// 422 on a bad proof, refusals of forks and rollbacks, 400/403/404; and its
// state kept across a restart.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildEd25519Signer,
  consistencyProofRanges,
  encodeCheckpointBody,
  portableHasher as hasher,
  hashLeaf,
  parseCosignerKey,
  rootFromLeafHashes,
  signCheckpoint,
  utf8,
  verifyCosignatures,
} from "@trailproof/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trailproof } from "../run-cli.js";
import { postCheckpoint, startWitness, type WitnessProcess } from "./witness-process.js";

const ORIGIN = "witness-test.example/log";
const log = buildEd25519Signer(hasher, ORIGIN, new Uint8Array(32).fill(11));
const forger = buildEd25519Signer(hasher, ORIGIN, new Uint8Array(32).fill(12));
const leaves = Array.from({ length: 40 }, (_, i) => hashLeaf(hasher, utf8(`entry ${i}`)));
const forkLeaves = leaves.map((l, i) => (i === 3 ? hashLeaf(hasher, utf8("forked entry 3")) : l));

function rootOf(size: number, of = leaves): Uint8Array {
  return rootFromLeafHashes(hasher, of.slice(0, size));
}
function checkpointOf(size: number, of = leaves, signer = log): string {
  return signCheckpoint({ origin: ORIGIN, treeSize: BigInt(size), rootHash: rootOf(size, of), extensions: [] }, signer);
}
function proofOf(from: number, to: number, of = leaves): Uint8Array[] {
  if (from === 0 || from === to) return [];
  return consistencyProofRanges(from, to).map((r) =>
    rootFromLeafHashes(hasher, of.slice(Number(r.begin), Number(r.end))),
  );
}

let dir: string;
let vkey: string;
let witness: WitnessProcess;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "trailproof-witness-"));
  const init = await trailproof(["witness", "init", "--data", dir, "--name", "witness.test/w1"]);
  expect(init.code, init.stderr).toBe(0);
  vkey = init.stdout.trim();
  const add = await trailproof(["witness", "add-log", "--data", dir, "--origin", ORIGIN, "--key", log.verifierKey]);
  expect(add.code, add.stderr).toBe(0);
  witness = await startWitness(dir);
  expect(witness.vkey).toBe(vkey);
}, 60_000);

afterAll(async () => {
  await witness?.stop();
});

describe("trailproof witness serve (C2SP tlog-witness add-checkpoint)", () => {
  it("cosigns a first checkpoint from old 0 with a cosignature/v1 by its key", async () => {
    const note = checkpointOf(5);
    const res = await postCheckpoint(witness.url, 0, [], note);
    expect(res.status).toBe(200);
    const found = verifyCosignatures(`${note}${res.body}`, [parseCosignerKey(hasher, vkey)]);
    expect(found.map((c) => c.name)).toEqual(["witness.test/w1"]);
    expect(Math.abs(Number(found[0]?.timestamp) - Date.now() / 1000)).toBeLessThan(60);
  });

  it("answers 409 with the latest cosigned size as text/x.tlog.size when the old size does not match", async () => {
    const res = await postCheckpoint(witness.url, 0, [], checkpointOf(8));
    expect(res.status).toBe(409);
    expect(res.contentType).toBe("text/x.tlog.size");
    expect(res.body).toBe("5\n");
  });

  it("cosigns a consistent extension, then refuses a bad proof and a fork with 422", async () => {
    expect((await postCheckpoint(witness.url, 5, proofOf(5, 13), checkpointOf(13))).status).toBe(200);
    const bad = proofOf(13, 20).map((h, i) => (i === 0 ? h.map((b) => b ^ 1) : h));
    expect((await postCheckpoint(witness.url, 13, bad, checkpointOf(20))).status).toBe(422);
    // A different log history, properly signed, with its own (valid for it) proof.
    expect(
      (await postCheckpoint(witness.url, 13, proofOf(13, 20, forkLeaves), checkpointOf(20, forkLeaves))).status,
    ).toBe(422);
    expect((await postCheckpoint(witness.url, 0, [], checkpointOf(20))).body).toBe("13\n");
  });

  it("refuses a second root at the cosigned size (409, as the spec gives) and a rollback", async () => {
    const fork = await postCheckpoint(witness.url, 13, [], checkpointOf(13, forkLeaves));
    expect(fork.status).toBe(409);
    expect(fork.body).toBe("13\n");
    // The same checkpoint again is cosigned again.
    expect((await postCheckpoint(witness.url, 13, [], checkpointOf(13))).status).toBe(200);
    // Rollback: a smaller checkpoint, claiming the witness's size as old (400) or its own (409).
    expect((await postCheckpoint(witness.url, 13, [], checkpointOf(9))).status).toBe(400);
    const rollback = await postCheckpoint(witness.url, 9, [], checkpointOf(9));
    expect(rollback.status).toBe(409);
    expect(rollback.body).toBe("13\n");
  });

  it("answers 404 for an unknown origin, 403 for an unverifiable signature, 400 for a malformed request", async () => {
    const stranger = buildEd25519Signer(hasher, "other.example/log", new Uint8Array(32).fill(13));
    const unknown = signCheckpoint(
      { origin: "other.example/log", treeSize: 1n, rootHash: rootOf(1), extensions: [] },
      stranger,
    );
    expect((await postCheckpoint(witness.url, 0, [], unknown)).status).toBe(404);
    expect((await postCheckpoint(witness.url, 13, proofOf(13, 20), checkpointOf(20, leaves, forger))).status).toBe(403);
    const forged = checkpointOf(20).replace(`\n20\n`, "\n21\n");
    expect((await postCheckpoint(witness.url, 13, proofOf(13, 20), forged)).status).toBe(403);
    expect((await postCheckpoint(witness.url, 21, [], checkpointOf(20))).status).toBe(400);
    for (const body of [
      "",
      `old 013\n\n${checkpointOf(20)}`,
      `old 13\nnot-base64!\n\n${checkpointOf(20)}`,
      `old 13\n\n${encodeCheckpointBody({ origin: ORIGIN, treeSize: 20n, rootHash: rootOf(20), extensions: [] })}`,
      `old 0\n${"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n".repeat(64)}\n${checkpointOf(20)}`,
    ]) {
      const res = await fetch(`${witness.url}/add-checkpoint`, { method: "POST", body });
      expect(res.status, body.slice(0, 20)).toBe(400);
    }
    expect((await fetch(`${witness.url}/add-checkpoint`)).status).toBe(405);
  });

  it("keeps its state across a restart: no rollback, no fork, and it carries on", async () => {
    await witness.stop();
    witness = await startWitness(dir);
    const stale = await postCheckpoint(witness.url, 0, [], checkpointOf(5));
    expect(stale.status).toBe(409);
    expect(stale.body).toBe("13\n");
    expect(
      (await postCheckpoint(witness.url, 13, proofOf(13, 20, forkLeaves), checkpointOf(20, forkLeaves))).status,
    ).toBe(422);
    expect((await postCheckpoint(witness.url, 13, proofOf(13, 40), checkpointOf(40))).status).toBe(200);
  }, 30_000);
});
