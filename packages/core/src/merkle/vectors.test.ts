// Runs the transparency-dev/merkle RFC 6962 proof vectors (testdata/rfc6962-proofs):
// the verifiers must accept exactly the cases marked valid.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fromBase64 } from "../bytes.js";
import { TrailproofError } from "../errors.js";
import { portableHasher } from "../hasher.js";
import { verifyConsistency } from "./consistency-proof.js";
import { verifyInclusion } from "./inclusion-proof.js";

const root = join(import.meta.dirname, "../../../../testdata/rfc6962-proofs");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".json") ? [path] : [];
  });
}

const b64 = (s: string | null | undefined) => (s ? fromBase64(s) : new Uint8Array(0));
const proofOf = (p: string[] | null) => (p ?? []).map(b64);

/** Runs `fn`; returns null when it passes, the error code when it throws a TrailproofError. */
function outcome(fn: () => void): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    if (err instanceof TrailproofError) return err.code;
    throw err;
  }
}

describe("transparency-dev inclusion vectors", () => {
  const cases = files(join(root, "inclusion"));
  it("has the published cases", () => expect(cases.length).toBeGreaterThan(50));
  for (const path of cases) {
    const v = JSON.parse(readFileSync(path, "utf8"));
    it(`${path.slice(root.length)}: ${v.desc}`, () => {
      const code = outcome(() =>
        verifyInclusion(portableHasher, v.leafIdx, v.treeSize, b64(v.leafHash), proofOf(v.proof), b64(v.root)),
      );
      if (v.wantErr) expect(code).not.toBeNull();
      else expect(code).toBeNull();
    });
  }
});

describe("transparency-dev consistency vectors", () => {
  const cases = files(join(root, "consistency"));
  it("has the published cases", () => expect(cases.length).toBeGreaterThan(50));
  for (const path of cases) {
    const v = JSON.parse(readFileSync(path, "utf8"));
    it(`${path.slice(root.length)}: ${v.desc}`, () => {
      const code = outcome(() =>
        verifyConsistency(portableHasher, v.size1, v.size2, proofOf(v.proof), b64(v.root1), b64(v.root2)),
      );
      if (v.wantErr) expect(code).not.toBeNull();
      else expect(code).toBeNull();
    });
  }
});
