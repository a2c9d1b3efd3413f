// `trailproof witness init|add-log|serve` refusing what an operator can get
// wrong (exit 2, one line), and the witness deciding concurrent submissions
// for one log one at a time (the spec's race: no rollback between check and write).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildEd25519Signer,
  portableHasher as hasher,
  hashLeaf,
  rootFromLeafHashes,
  signCheckpoint,
  utf8,
} from "@trailproof/core";
import { afterAll, describe, expect, it } from "vitest";
import { trailproof } from "../run-cli.js";
import { postCheckpoint, startWitness, type WitnessProcess } from "./witness-process.js";

const running: WitnessProcess[] = [];
afterAll(async () => {
  for (const w of running) await w.stop();
});

describe("trailproof witness commands", () => {
  it("keep a key's name, refuse a log key that is none, and need a name to make a key", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trailproof-witness-cli-"));
    const first = await trailproof(["witness", "init", "--data", dir, "--name", "w.test/a"]);
    expect(first.code).toBe(0);
    const again = await trailproof(["witness", "init", "--data", dir, "--name", "w.test/a"]);
    expect(again.stdout).toBe(first.stdout);
    const renamed = await trailproof(["witness", "init", "--data", dir, "--name", "w.test/b"]);
    expect(renamed.code).toBe(2);
    expect(renamed.stderr).toContain("WITNESS_INVALID");
    // A witness key (type 0x04) is no log key.
    const badKey = await trailproof([
      "witness",
      "add-log",
      "--data",
      dir,
      "--origin",
      "o",
      "--key",
      first.stdout.trim(),
    ]);
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toContain("NOTE_KEY_INVALID");
    const empty = mkdtempSync(join(tmpdir(), "trailproof-witness-cli-"));
    const nameless = await trailproof(["witness", "serve", "--data", empty, "--port", "0"]);
    expect(nameless.code).toBe(2);
    expect(nameless.stderr).toContain("pass --name");
  });

  it("decides concurrent submissions for one log one at a time", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trailproof-witness-race-"));
    const origin = "race.example/log";
    const log = buildEd25519Signer(hasher, origin, new Uint8Array(32).fill(21));
    const leaves = Array.from({ length: 30 }, (_, i) => hashLeaf(hasher, utf8(`e${i}`)));
    const note = (size: number) =>
      signCheckpoint(
        { origin, treeSize: BigInt(size), rootHash: rootFromLeafHashes(hasher, leaves.slice(0, size)), extensions: [] },
        log,
      );
    expect((await trailproof(["witness", "init", "--data", dir, "--name", "race"])).code).toBe(0);
    expect(
      (await trailproof(["witness", "add-log", "--data", dir, "--origin", origin, "--key", log.verifierKey])).code,
    ).toBe(0);
    const witness = await startWitness(dir);
    running.push(witness);
    const sizes = [5, 8, 13, 21, 30];
    const answers = await Promise.all(sizes.map((size) => postCheckpoint(witness.url, 0, [], note(size))));
    // From old 0 exactly one is cosigned; every other learns that size.
    const cosigned = answers.flatMap((a, i) => (a.status === 200 ? [sizes[i]] : []));
    expect(cosigned).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 200)) {
      expect(a.status).toBe(409);
      expect(a.body).toBe(`${cosigned[0]}\n`);
    }
  }, 30_000);
});
