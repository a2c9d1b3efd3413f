// The worked example of docs/log-format.md, computed from scratch: one event
// sealed with fixed randomness and time, its leaf hash, and a checkpoint of
// the one-entry tree signed with a fixed key. The golden copy lives in
// testdata/log-format/worked-example.json; regenerate it with
//   node --import tsx test/worked-example.ts --write
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  ActionRegistry,
  buildEd25519Signer,
  builtinCatalogue,
  fromUtf8,
  hashLeaf,
  portableHasher,
  prepareEvent,
  signCheckpoint,
  toBase64,
  toHex,
} from "@trailproof/core";

export const GOLDEN_PATH = join(import.meta.dirname, "../testdata/log-format/worked-example.json");

export const EXAMPLE_INPUT = {
  id: "evt_0001",
  action: "app.page.update",
  occurred_at: "2026-05-01T10:00:00.123456+02:00",
  actor: { type: "user", id: "usr_ada", name: "Ada Lovelace" },
  target: { type: "page", id: "page_checkout", name: "Checkout", path: ["workspace:acme", "app:shop"] },
  context: { session_id: "ses_42", ip: "203.0.113.7" },
  change: { before: { layout: "grid", title: "Checkout" }, after: { layout: "stack", title: "Checkout" } },
  tags: ["module:builder"],
};

export function buildWorkedExample() {
  const prepared = prepareEvent(EXAMPLE_INPUT, {
    registry: new ActionRegistry(builtinCatalogue),
    unknownActions: "reject",
    receivedAt: new Date("2026-05-01T08:00:01.000Z"),
    newId: () => "unused",
    hasher: portableHasher,
    randomBytes: (n) => new Uint8Array(n).fill(0x11),
  });
  const leafHash = hashLeaf(portableHasher, prepared.leafData);
  const origin = "trailproof.localhost/log/acme";
  const signer = buildEd25519Signer(portableHasher, origin, new Uint8Array(32).fill(0x01));
  // A tree of one leaf: its root hash is the leaf hash (RFC 6962 MTH of one entry).
  const checkpoint = signCheckpoint({ origin, treeSize: 1n, rootHash: leafHash, extensions: [] }, signer);
  return {
    input: EXAMPLE_INPUT,
    leaf_data: fromUtf8(prepared.leafData),
    leaf_hash_hex: toHex(leafHash),
    leaf_hash_base64: toBase64(leafHash),
    disclosures: prepared.disclosures,
    signer_seed_hex: "01".repeat(32),
    verifier_key: signer.verifierKey,
    checkpoint,
  };
}

if (process.argv.includes("--write")) {
  writeFileSync(GOLDEN_PATH, `${JSON.stringify(buildWorkedExample(), null, 2)}\n`);
}
