// Personal values at rest (issue 12): each disclosure's salt and value, as the
// RFC 8785 JSON {"salt","value"}, sealed with AES-256-GCM under its subject's
// data key. The AAD binds the tenant, the entry's index and the pointer, so a
// sealed value moved to another entry, pointer or tenant fails to open. The
// salt is sealed too: in clear it would let anyone test guesses of a
// low-entropy value (an IP) against the leaf's commitment.
import { createCipheriv, createDecipheriv } from "node:crypto";
import { encodeCanonicalJson, fromBase64, type JsonValue, toBase64, utf8 } from "@trailproof/core";
import { pooledRandomBytes } from "../random-pool.js";

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const DOMAIN = "trailproof disclosure v1\n";

/** A personal value with its commitment salt, as sealed. */
export interface PlainDisclosure {
  pointer: string;
  salt: Uint8Array;
  value: JsonValue;
}

function aadOf(tenant: string, index: number, pointer: string): Buffer {
  return Buffer.from(utf8(`${DOMAIN}${tenant}\n${index}\n${pointer}`));
}

/** nonce || ciphertext || tag of {"salt","value"} under `dataKey`. */
export function sealDisclosure(dataKey: Uint8Array, tenant: string, index: number, d: PlainDisclosure): Uint8Array {
  const nonce = pooledRandomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", dataKey, nonce);
  cipher.setAAD(aadOf(tenant, index, d.pointer));
  const plain = Buffer.from(utf8(encodeCanonicalJson({ salt: toBase64(d.salt), value: d.value })));
  const out = Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * Opens what sealDisclosure sealed. Returns undefined, never throws, for
 * bytes that do not open (edited, moved, or sealed under another key): the
 * caller treats it as a value failing its commitment.
 */
export function openDisclosure(
  dataKey: Uint8Array,
  tenant: string,
  index: number,
  pointer: string,
  sealed: Uint8Array,
): { salt: Uint8Array; value: JsonValue } | undefined {
  if (sealed.length < NONCE_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", dataKey, sealed.subarray(0, NONCE_BYTES));
    decipher.setAAD(aadOf(tenant, index, pointer));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]);
    const parsed = JSON.parse(plain.toString("utf8")) as { salt?: unknown; value?: JsonValue };
    if (typeof parsed.salt !== "string" || !("value" in parsed)) return undefined;
    return { salt: fromBase64(parsed.salt), value: parsed.value as JsonValue };
  } catch {
    return undefined;
  }
}
