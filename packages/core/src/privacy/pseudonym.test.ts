import { describe, expect, it } from "vitest";
import { portableHasher } from "../hasher.js";
import { isPseudonym, pseudonymOf } from "./pseudonym.js";

const keyA = new Uint8Array(32).fill(1);
const keyB = new Uint8Array(32).fill(2);

describe("pseudonymOf", () => {
  it("is stable for one key and id, and has the documented form", () => {
    const p = pseudonymOf(portableHasher, keyA, "usr_ada");
    expect(p).toBe(pseudonymOf(portableHasher, keyA, "usr_ada"));
    expect(isPseudonym(p)).toBe(true);
  });

  it("differs between ids and between tenants' keys", () => {
    const ada = pseudonymOf(portableHasher, keyA, "usr_ada");
    expect(pseudonymOf(portableHasher, keyA, "usr_bob")).not.toBe(ada);
    expect(pseudonymOf(portableHasher, keyB, "usr_ada")).not.toBe(ada);
  });

  it("refuses a key of the wrong size", () => {
    expect(() => pseudonymOf(portableHasher, new Uint8Array(16), "usr_ada")).toThrow(/32 bytes/);
  });

  it("is not a bare HMAC of the id (domain separated)", async () => {
    const { hmacSha256 } = await import("../hmac-sha256.js");
    const { toHex, utf8 } = await import("../bytes.js");
    const bare = toHex(hmacSha256(portableHasher, keyA, utf8("usr_ada")).subarray(0, 16));
    expect(pseudonymOf(portableHasher, keyA, "usr_ada")).not.toBe(`psn_${bare}`);
  });
});
