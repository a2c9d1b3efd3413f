// A bundle is untrusted input: whatever its lines hold, bundleReport answers
// with a report or a typed BUNDLE_MALFORMED, never a raw SyntaxError or TypeError.
import { describe, expect, it } from "vitest";
import { utf8 } from "../bytes.js";
import { InvalidInputError } from "../errors.js";
import { portableHasher } from "../hasher.js";
import { BUNDLE_FORMAT } from "./bundle-format.js";
import { bundleReport, bundleReportFromBytes } from "./bundle-report.js";

const header = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    format: BUNDLE_FORMAT,
    origin: "example.com/log",
    tenant: "acme",
    tree_size: 1,
    checkpoints: 1,
    verifier_keys: [],
    ...fields,
  });

async function* linesOf(lines: readonly string[]): AsyncGenerator<string> {
  yield* lines;
}

async function* chunksOf(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

const cases: [string, string[]][] = [
  ["a header that is not JSON", ["{format:"]],
  ["a header that is JSON null", ["null"]],
  ["a header of another format", [header({ format: "something/v2" })]],
  ["negative counts", [header({ tree_size: -1 })]],
  ["a verifier key entry that is null", [header({ verifier_keys: [null] }), '{"checkpoint":"x"}']],
  ["a verifier key that is not a string", [header({ verifier_keys: [{ verifier_key: 5 }] }), '{"checkpoint":"x"}']],
  ["a checkpoint line that is not JSON", [header(), '{"checkpoint":']],
  ["a checkpoint line without a checkpoint", [header(), "[]"]],
  ["a bundle that ends inside its checkpoints", [header({ checkpoints: 2 }), '{"checkpoint":"x"}']],
];

describe("bundleReport on malformed bundles", () => {
  for (const [name, lines] of cases) {
    it(`refuses ${name} with BUNDLE_MALFORMED`, async () => {
      const failure = await bundleReport(portableHasher, linesOf(lines)).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(InvalidInputError);
      expect(failure).toMatchObject({ code: "BUNDLE_MALFORMED" });
    });
  }

  it("refuses a header line that is not UTF-8, read as bytes", async () => {
    const bytes = new Uint8Array([...utf8(header()).subarray(0, 10), 0xff, 0x0a]);
    await expect(bundleReportFromBytes(portableHasher, chunksOf(bytes))).rejects.toMatchObject({
      name: "InvalidInputError",
      code: "BUNDLE_MALFORMED",
    });
  });

  it("reports, rather than throws, entries that are not JSON", async () => {
    const report = await bundleReport(portableHasher, linesOf([header({ checkpoints: 0 }), "not json"]));
    expect(report.ok).toBe(false);
    expect(report.divergences.map((d) => d.kind)).toContain("ENTRY_MALFORMED");
  });
});
