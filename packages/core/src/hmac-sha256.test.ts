// HMAC-SHA-256 against the RFC 4231 test cases (section 4) and against
// noble's implementation for keys and messages of every length around the block.
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { toHex, utf8 } from "./bytes.js";
import { portableHasher } from "./hasher.js";
import { hmacSha256 } from "./hmac-sha256.js";

const hex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (b) => Number.parseInt(b, 16));

describe("hmacSha256", () => {
  it.each([
    {
      name: "RFC 4231 test case 1",
      key: hex("0b".repeat(20)),
      data: utf8("Hi There"),
      mac: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
    },
    {
      name: "RFC 4231 test case 2 (a key shorter than the output)",
      key: utf8("Jefe"),
      data: utf8("what do ya want for nothing?"),
      mac: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    },
    {
      name: "RFC 4231 test case 3",
      key: hex("aa".repeat(20)),
      data: hex("dd".repeat(50)),
      mac: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
    },
    {
      name: "RFC 4231 test case 6 (a key longer than the block)",
      key: hex("aa".repeat(131)),
      data: utf8("Test Using Larger Than Block-Size Key - Hash Key First"),
      mac: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
    },
  ])("$name", ({ key, data, mac }) => {
    expect(toHex(hmacSha256(portableHasher, key, data))).toBe(mac);
  });

  it("equals noble's HMAC for every key length 0-130 and a message given in parts", () => {
    for (let n = 0; n <= 130; n++) {
      const key = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff);
      const parts = [utf8(`part one ${n}`), new Uint8Array(0), utf8("part two")];
      const whole = utf8(`part one ${n}part two`);
      expect(toHex(hmacSha256(portableHasher, key, ...parts))).toBe(toHex(hmac(sha256, key, whole)));
    }
  });

  it("changes with any bit of the key", () => {
    const key = new Uint8Array(32).fill(7);
    const flipped = key.slice();
    flipped[31] = 6;
    expect(toHex(hmacSha256(portableHasher, flipped, utf8("m")))).not.toBe(
      toHex(hmacSha256(portableHasher, key, utf8("m"))),
    );
  });
});
