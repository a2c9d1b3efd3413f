// A portable Ed25519 NoteSigner from a 32-byte seed (@noble/curves). The
// server uses node:crypto instead for speed; this one serves tests, tools
// and browsers.
import { ed25519 } from "@noble/curves/ed25519.js";
import type { Hasher } from "../hasher.js";
import type { NoteSigner } from "./signed-note.js";
import { computeKeyHash, encodeVerifierKey } from "./verifier-key.js";

export interface PortableSigner extends NoteSigner {
  readonly publicKey: Uint8Array;
  readonly verifierKey: string;
}

export function buildEd25519Signer(hasher: Hasher, name: string, seed: Uint8Array): PortableSigner {
  if (seed.length !== 32) throw new RangeError("an Ed25519 seed is 32 bytes");
  const publicKey = ed25519.getPublicKey(seed);
  return {
    name,
    publicKey,
    keyHash: computeKeyHash(hasher, name, publicKey),
    verifierKey: encodeVerifierKey(hasher, name, publicKey),
    sign: (message) => ed25519.sign(message, seed),
  };
}
