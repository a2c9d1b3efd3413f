import { buildEd25519Signer, parseVerifierKey, utf8 } from "@trailproof/core";
import { describe, expect, it } from "vitest";
import { nodeHasher } from "../node-hasher.js";
import { parseNodeVerifierKey } from "./node-note-verifier.js";

const signer = buildEd25519Signer(nodeHasher, "example.com/log/a", new Uint8Array(32).fill(5));
const other = buildEd25519Signer(nodeHasher, "example.com/log/a", new Uint8Array(32).fill(6));
const message = utf8("example.com/log/a\n5\nAAAA\n");
const L = (1n << 252n) + 27742317777372353535851937790883648493n;

function withS(signature: Uint8Array, add: bigint): Uint8Array {
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(signature[i] as number);
  s += add;
  const out = signature.slice();
  for (let i = 32; i < 64; i++) {
    out[i] = Number(s & 0xffn);
    s >>= 8n;
  }
  return out;
}

describe("parseNodeVerifierKey", () => {
  it("accepts and refuses exactly the signatures core's verifier does", () => {
    const node = parseNodeVerifierKey(nodeHasher, signer.verifierKey);
    const portable = parseVerifierKey(nodeHasher, signer.verifierKey);
    const good = signer.sign(message);
    const flipped = good.slice();
    flipped[10] = (flipped[10] as number) ^ 0x01;
    const cases = [good, flipped, withS(good, L), other.sign(message), good.slice(0, 63), new Uint8Array(64)];
    for (const sig of cases) expect(node.verify(message, sig)).toBe(portable.verify(message, sig));
    expect(node.verify(message, good)).toBe(true);
    expect(node.verify(utf8("example.com/log/a\n6\nAAAA\n"), good)).toBe(false);
    expect({ name: node.name, keyHash: node.keyHash }).toEqual({ name: portable.name, keyHash: portable.keyHash });
  });

  it("refuses a malformed key with NOTE_KEY_INVALID", () => {
    const [name, hash] = signer.verifierKey.split("+");
    expect(() => parseNodeVerifierKey(nodeHasher, `${name}+${hash}+AAAA`)).toThrow(
      expect.objectContaining({ code: "NOTE_KEY_INVALID" }),
    );
    expect(() => parseNodeVerifierKey(nodeHasher, other.verifierKey.replace(/\+[0-9a-f]{8}\+/, `+${hash}+`))).toThrow(
      expect.objectContaining({ code: "NOTE_KEY_INVALID" }),
    );
  });
});
