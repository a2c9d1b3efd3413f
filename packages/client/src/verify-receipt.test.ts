import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  buildEd25519Signer,
  hashChildren,
  hashLeaf,
  portableHasher,
  signCheckpoint,
  toBase64,
  utf8,
} from "@trailproof/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Receipt } from "./event-draft.js";
import { verifyReceipt } from "./verify-receipt.js";

// A two-leaf log signed by a key the test holds: the proof of leaf 1 is leaf 0's hash.
const ORIGIN = "example.test/log/acme";
const signer = buildEd25519Signer(portableHasher, ORIGIN, new Uint8Array(32).fill(7));
const other = buildEd25519Signer(portableHasher, ORIGIN, new Uint8Array(32).fill(8));
const leaves = [hashLeaf(portableHasher, utf8('{"id":"a"}')), hashLeaf(portableHasher, utf8('{"id":"b"}'))] as const;
const root = hashChildren(portableHasher, leaves[0], leaves[1]);
const checkpoint = signCheckpoint({ origin: ORIGIN, treeSize: 2n, rootHash: root, extensions: [] }, signer);
const receipt: Receipt = {
  id: "b",
  status: "created",
  index: 1,
  leafHash: toBase64(leaves[1]),
  receivedAt: "2026-05-01T10:00:00.000Z",
};

let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const auditor = req.headers.authorization === "Bearer auditor";
    if (req.url !== "/v1/events/b") {
      res.writeHead(404, { "content-type": "application/problem+json" });
      return res.end(JSON.stringify({ code: "EVENT_NOT_FOUND" }));
    }
    const detail = {
      index: 1,
      redacted: false,
      event: { id: "b" },
      ...(auditor
        ? {
            proof: {
              checkpoint,
              inclusion: { index: 1, size: 2, leaf_hash: receipt.leafHash, proof: [toBase64(leaves[0])] },
            },
          }
        : {}),
    };
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(detail));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
});

describe("verifyReceipt", () => {
  it("accepts a receipt the pinned key's checkpoint proves", async () => {
    const verified = await verifyReceipt(receipt, { url, apiKey: "auditor", verifierKey: signer.verifierKey });
    expect(verified.treeSize).toBe(2n);
    expect(verified.rootHash).toEqual(root);
  });

  it.each([
    ["another key", { ...receipt }, { verifierKey: other.verifierKey }, "NOTE_UNSIGNED"],
    ["a forged leaf hash", { ...receipt, leafHash: toBase64(leaves[0]) }, {}, "RECEIPT_MISMATCH"],
    ["another index", { ...receipt, index: 0 }, {}, "RECEIPT_MISMATCH"],
    ["an id the log lacks", { ...receipt, id: "zzz" }, {}, "RECEIPT_NOT_FOUND"],
    ["a viewer key", { ...receipt }, { apiKey: "viewer" }, "RECEIPT_PROOF_MISSING"],
  ])("fails closed on %s", async (_why, r, overrides, code) => {
    const options = { url, apiKey: "auditor", verifierKey: signer.verifierKey, ...overrides };
    await expect(verifyReceipt(r, options)).rejects.toMatchObject({ code });
  });

  it("fails with RECEIPT_FETCH_FAILED when nothing answers", async () => {
    const options = { url: "http://127.0.0.1:9", apiKey: "auditor", verifierKey: signer.verifierKey };
    await expect(verifyReceipt(receipt, options)).rejects.toMatchObject({ code: "RECEIPT_FETCH_FAILED" });
  });
});
