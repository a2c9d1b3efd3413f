// eventProofCheck fails closed at each step: the event shown, the signer,
// the origin, the proof's tree size and the proof itself.
import {
  buildEd25519Signer,
  encodeCanonicalJsonBytes,
  hashChildren,
  hashLeaf,
  portableHasher,
  signCheckpoint,
  toBase64,
} from "@trailproof/core";
import { describe, expect, it } from "vitest";
import type { EventDetail } from "../api/types.js";
import { eventProofCheck } from "./proof.js";

const ORIGIN = "trailproof.localhost/log/acme";
const signer = buildEd25519Signer(portableHasher, ORIGIN, new Uint8Array(32).fill(1));
const other = buildEd25519Signer(portableHasher, ORIGIN, new Uint8Array(32).fill(2));

const committed = {
  id: "evt_1",
  action: "app.update",
  actor: { id: "usr_ada", type: "user" },
  privacy: { commitments: { "/actor/name": "6lvgBrpMVLE2lmHnVxoivLbZYpWyXx86Xn+8zLIlaGg=" }, masked: [] },
};
const sibling = hashLeaf(portableHasher, encodeCanonicalJsonBytes({ id: "evt_0" }));
const leaf = hashLeaf(portableHasher, encodeCanonicalJsonBytes(committed));
const root = hashChildren(portableHasher, sibling, leaf);

function detail(
  overrides: { event?: Record<string, unknown>; size?: number; by?: typeof signer; origin?: string } = {},
): EventDetail {
  const checkpoint = signCheckpoint(
    { origin: overrides.origin ?? ORIGIN, treeSize: BigInt(overrides.size ?? 2), rootHash: root, extensions: [] },
    overrides.by ?? signer,
  );
  return {
    index: 1,
    redacted: false,
    // Revealed for an auditor: the personal value is back, and must be removed again to hash.
    event: overrides.event ?? { ...committed, actor: { ...committed.actor, name: "Ada Lovelace" } },
    proof: {
      checkpoint,
      inclusion: { index: 1, size: 2, leaf_hash: toBase64(leaf), proof: [toBase64(sibling)] },
    },
  };
}

const trusted = { origin: ORIGIN, keys: [signer.verifierKey] };

describe("eventProofCheck", () => {
  it("accepts a revealed event whose committed form is the proven leaf", () => {
    expect(eventProofCheck(detail(), trusted)).toEqual({ ok: true, index: 1, treeSize: 2, keyName: ORIGIN });
  });

  it("refuses an event changed after it was proven", () => {
    const check = eventProofCheck(detail({ event: { ...committed, action: "app.delete" } }), trusted);
    expect(check).toMatchObject({ ok: false, step: "leaf" });
  });

  it("refuses a checkpoint signed by a key that is not trusted", () => {
    expect(eventProofCheck(detail({ by: other }), trusted)).toMatchObject({ ok: false, step: "signature" });
  });

  it("refuses a checkpoint for another origin", () => {
    const wrong = buildEd25519Signer(portableHasher, "evil/log", new Uint8Array(32).fill(1));
    const check = eventProofCheck(detail({ by: wrong, origin: "evil/log" }), {
      origin: ORIGIN,
      keys: [signer.verifierKey, wrong.verifierKey],
    });
    expect(check).toMatchObject({ ok: false, step: "signature" });
  });

  it("refuses a proof for another tree size than the checkpoint signs", () => {
    expect(eventProofCheck(detail({ size: 3 }), trusted)).toMatchObject({ ok: false, step: "checkpoint" });
  });

  it("refuses a proof that leads to another root", () => {
    const d = detail();
    if (!d.proof) throw new Error("no proof");
    d.proof.inclusion.proof = [toBase64(leaf)];
    expect(eventProofCheck(d, trusted)).toMatchObject({ ok: false, step: "inclusion" });
  });

  it("fails closed without a proof", () => {
    expect(eventProofCheck({ index: 1, redacted: true, event: committed }, trusted)).toMatchObject({
      ok: false,
      step: "proof",
    });
  });
});
