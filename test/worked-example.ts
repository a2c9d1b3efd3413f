// The worked example of docs/log-format.md (log format v2), computed from
// scratch: one event sealed with fixed randomness, time, appender and digest
// key, its leaf hash, its content digest, and a checkpoint of the one-entry
// tree signed with a fixed key. The golden copy lives in
// testdata/log-format/worked-example-v2.json; regenerate it with
//   node --conditions=@trailproof/source --import tsx test/worked-example.ts --write
// The version 1 example (worked-example.json) is kept as it was written:
// v1 entries must keep verifying, and log-format.test.ts checks that it does.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  ActionRegistry,
  type AppendedBy,
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

export const GOLDEN_PATH = join(import.meta.dirname, "../testdata/log-format/worked-example-v2.json");
export const GOLDEN_V1_PATH = join(import.meta.dirname, "../testdata/log-format/worked-example.json");

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

/** The ingest key that sent the example: its id, as GET /v1/keys lists it. */
export const EXAMPLE_APPENDED_BY: AppendedBy = { type: "api_key", id: "7a3f09c2d4e5b618" };

export function buildWorkedExample() {
  const digestKey = new Uint8Array(32).fill(0x22);
  const prepared = prepareEvent(EXAMPLE_INPUT, {
    registry: new ActionRegistry(builtinCatalogue),
    unknownActions: "reject",
    receivedAt: new Date("2026-05-01T08:00:01.000Z"),
    newId: () => "unused",
    hasher: portableHasher,
    randomBytes: (n) => new Uint8Array(n).fill(0x11),
    appendedBy: EXAMPLE_APPENDED_BY,
    digestKey,
  });
  const leafHash = hashLeaf(portableHasher, prepared.leafData);
  const origin = "trailproof.localhost/log/acme";
  const signer = buildEd25519Signer(portableHasher, origin, new Uint8Array(32).fill(0x01));
  // A tree of one leaf: its root hash is the leaf hash (RFC 6962 MTH of one entry).
  const checkpoint = signCheckpoint({ origin, treeSize: 1n, rootHash: leafHash, extensions: [] }, signer);
  return {
    input: EXAMPLE_INPUT,
    appended_by: EXAMPLE_APPENDED_BY,
    leaf_data: fromUtf8(prepared.leafData),
    leaf_hash_hex: toHex(leafHash),
    leaf_hash_base64: toBase64(leafHash),
    disclosures: prepared.disclosures,
    digest_key_hex: toHex(digestKey),
    content_digest: prepared.contentDigest,
    signer_seed_hex: "01".repeat(32),
    verifier_key: signer.verifierKey,
    checkpoint,
  };
}

if (process.argv.includes("--write")) {
  writeFileSync(GOLDEN_PATH, `${JSON.stringify(buildWorkedExample(), null, 2)}\n`);
}
