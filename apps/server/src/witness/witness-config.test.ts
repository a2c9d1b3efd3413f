// TRAILPROOF_WITNESSES: entries parsed, and every bad one refused at start
// with CONFIG_INVALID naming the entry.
import { buildCosigner, buildEd25519Signer, hasErrorCode, portableHasher } from "@trailproof/core";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { parseWitnessList } from "./witness-config.js";

const w1 = buildCosigner(portableHasher, "witness.test/w1", new Uint8Array(32).fill(1)).verifierKey;
const w2 = buildCosigner(portableHasher, "w2", new Uint8Array(32).fill(2)).verifierKey;
const logKey = buildEd25519Signer(portableHasher, "log", new Uint8Array(32).fill(3)).verifierKey;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (hasErrorCode(err, "CONFIG_INVALID")) return err.code;
    throw err;
  }
  return undefined;
}

describe("TRAILPROOF_WITNESSES", () => {
  it("parses vkey and URL entries separated by commas or newlines", () => {
    expect(parseWitnessList(`${w1} https://w1.example/, \n${w2}   http://127.0.0.1:7380`)).toEqual([
      { verifierKey: w1, name: "witness.test/w1", url: "https://w1.example" },
      { verifierKey: w2, name: "w2", url: "http://127.0.0.1:7380" },
    ]);
    expect(parseWitnessList(undefined)).toEqual([]);
    expect(loadConfig({ TRAILPROOF_WITNESSES: `${w1} https://w1.example` }).witnesses).toHaveLength(1);
    expect(loadConfig({}).witnessIntervalMs).toBe(1000);
  });

  it("refuses a log key, a mangled key, a missing or non-http URL, and a witness listed twice", () => {
    for (const bad of [
      `${logKey} https://w.example`,
      `${w1.slice(0, -2)}xx https://w.example`,
      w1,
      `${w1} ftp://w.example`,
      `${w1} not a url`,
      `${w1} https://a.example,${w1} https://b.example`,
    ]) {
      expect(
        codeOf(() => parseWitnessList(bad)),
        bad,
      ).toBe("CONFIG_INVALID");
    }
  });
});
