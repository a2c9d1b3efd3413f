// cosignature/v1 (C2SP tlog-cosignature): the spec's example layout
// (testdata/cosignature), key IDs computed independently, sign and verify,
// and every way a cosignature must fail.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fromBase64, fromUtf8, toBase64 } from "../bytes.js";
import { portableHasher as hasher } from "../hasher.js";
import { encodeCheckpointBody, signCheckpoint, verifyCheckpoint } from "./checkpoint.js";
import { codeOf } from "./code-of.fixture.js";
import {
  addSignatureLines,
  buildCosigner,
  cosignatureMessage,
  parseCosignerKey,
  verifyCosignatures,
} from "./cosignature.js";
import { buildEd25519Signer } from "./ed25519-signer.js";
import { parseVerifierKey } from "./verifier-key.js";

const example = JSON.parse(
  readFileSync(join(import.meta.dirname, "../../../../testdata/cosignature/c2sp-example.json"), "utf8"),
);

const origin = "trailproof.test/log/acme";
const log = buildEd25519Signer(hasher, origin, new Uint8Array(32).fill(1));
const note = signCheckpoint({ origin, treeSize: 42n, rootHash: new Uint8Array(32).fill(9), extensions: [] }, log);
const body = encodeCheckpointBody({ origin, treeSize: 42n, rootHash: new Uint8Array(32).fill(9), extensions: [] });
const w1 = buildCosigner(hasher, "witness.test/w1", new Uint8Array(32).fill(3));
const w2 = buildCosigner(hasher, "witness.test/w2", new Uint8Array(32).fill(4));

describe("cosignature/v1 against the C2SP example", () => {
  it("builds the spec's signed message", () => {
    expect(fromUtf8(cosignatureMessage(example.checkpoint_body, BigInt(example.cosignature_timestamp)))).toBe(
      example.signed_message,
    );
  });

  it("lays the example's signature out as key ID, big-endian timestamp, 64-byte signature", () => {
    const raw = fromBase64(example.cosignature_line.split(" ")[2] as string);
    expect(raw.length).toBe(4 + 8 + 64);
    expect(new DataView(raw.buffer, raw.byteOffset + 4, 8).getBigUint64(0)).toBe(BigInt(example.cosignature_timestamp));
    const ours = fromBase64(
      w1.cosign(example.checkpoint_body, BigInt(example.cosignature_timestamp)).split(" ")[2] as string,
    );
    expect(ours.length).toBe(raw.length);
    expect(ours.slice(4, 12)).toEqual(raw.slice(4, 12));
  });
});

describe("cosigner keys", () => {
  it("derives the key ID as SHA-256(name || \\n || 0x04 || key)[:4] and a type-0x04 vkey", () => {
    const digest = createHash("sha256")
      .update(`${w1.name}\n`)
      .update(new Uint8Array([4]))
      .update(w1.publicKey)
      .digest();
    expect(w1.keyHash).toBe(digest.readUInt32BE(0));
    expect(w1.verifierKey).toBe(
      `${w1.name}+${digest.subarray(0, 4).toString("hex")}+${toBase64(new Uint8Array([4, ...w1.publicKey]))}`,
    );
    expect(parseCosignerKey(hasher, w1.verifierKey).keyHash).toBe(w1.keyHash);
  });

  it("refuses a log key (type 0x01) as a witness key, and a log verifier refuses a witness key", () => {
    expect(codeOf(() => parseCosignerKey(hasher, log.verifierKey))).toBe("NOTE_KEY_INVALID");
    expect(codeOf(() => parseVerifierKey(hasher, w1.verifierKey))).toBe("NOTE_KEY_INVALID");
  });

  it("refuses every mangled witness key", () => {
    const key = w1.verifierKey;
    for (let i = 0; i < key.length; i++) {
      const mangled = key.slice(0, i) + String.fromCharCode(key.charCodeAt(i) + 1) + key.slice(i + 1);
      expect(codeOf(() => parseCosignerKey(hasher, mangled))).toBe("NOTE_KEY_INVALID");
    }
  });
});

describe("signing and verifying cosignatures", () => {
  const v1 = parseCosignerKey(hasher, w1.verifierKey);
  const v2 = parseCosignerKey(hasher, w2.verifierKey);

  it("verifies a cosigned checkpoint and keeps it valid for the log key", () => {
    const cosigned = addSignatureLines(note, [w1.cosign(body, 1_700_000_000n), w2.cosign(body, 1_700_000_001n)]);
    expect(verifyCheckpoint(cosigned, parseVerifierKey(hasher, log.verifierKey), origin).treeSize).toBe(42n);
    const found = verifyCosignatures(cosigned, [v1, v2]);
    expect(found.map((c) => [c.name, c.timestamp])).toEqual([
      ["witness.test/w1", 1_700_000_000n],
      ["witness.test/w2", 1_700_000_001n],
    ]);
    expect(verifyCosignatures(cosigned, [v2]).map((c) => c.name)).toEqual(["witness.test/w2"]);
  });

  it("does not add a line twice and counts a key once", () => {
    const line = w1.cosign(body, 5n);
    const twice = addSignatureLines(addSignatureLines(note, [line]), [line, line]);
    expect(twice.split(line).length - 1).toBe(1);
    const again = `${twice}${w1.cosign(body, 6n)}\n`;
    expect(verifyCosignatures(again, [v1])).toHaveLength(1);
  });

  it("ignores a log signature and unknown keys; finds none without cosignatures", () => {
    expect(verifyCosignatures(note, [v1, v2])).toEqual([]);
    expect(verifyCosignatures(addSignatureLines(note, [w2.cosign(body, 1n)]), [v1])).toEqual([]);
  });

  it("fails closed on a cosignature over another checkpoint, a changed timestamp or a flipped bit", () => {
    const otherBody = body.replace("\n42\n", "\n43\n");
    const wrongBody = addSignatureLines(note, [w1.cosign(otherBody, 1n)]);
    expect(codeOf(() => verifyCosignatures(wrongBody, [v1]))).toBe("COSIGNATURE_INVALID");
    const line = w1.cosign(body, 7n);
    const raw = fromBase64(line.split(" ")[2] as string);
    for (const at of [11, 20, raw.length - 1]) {
      const bad = raw.slice();
      bad[at] = (bad[at] as number) ^ 1;
      const mangled = `${line.split(" ").slice(0, 2).join(" ")} ${toBase64(bad)}`;
      expect(codeOf(() => verifyCosignatures(addSignatureLines(note, [mangled]), [v1]))).toBe("COSIGNATURE_INVALID");
    }
    const short = `${line.split(" ").slice(0, 2).join(" ")} ${toBase64(raw.slice(0, 40))}`;
    expect(codeOf(() => verifyCosignatures(addSignatureLines(note, [short]), [v1]))).toBe("COSIGNATURE_INVALID");
  });

  it("refuses a timestamp beyond 2^63-1 when signing", () => {
    expect(() => w1.cosign(body, 1n << 63n)).toThrow(RangeError);
  });
});
