// The idempotency digest (log format v2): keyed, over everything the log keeps
// of the event (personal values and appender included), recomputable from the
// leaf and its disclosures; and the v1 digest, kept for retries of old entries.
import { describe, expect, it } from "vitest";
import { toHex, utf8 } from "../bytes.js";
import type { JsonObject } from "../canonical-json.js";
import { portableHasher } from "../hasher.js";
import { recomputeContentDigest } from "./content-digest.js";
import { legacyContentDigest, prepareEvent } from "./prepare-event.js";
import { context, pageEvent, seededRandomBytes } from "./test-fixtures.js";

const withPersonal = pageEvent({
  actor: { type: "user", id: "u-42", name: "Ada Lovelace" },
  context: { ip: "203.0.113.7", session_id: "s-1" },
});

describe("the content digest", () => {
  it("is the same for a retry: other salts, received_at and key order", () => {
    const a = prepareEvent(withPersonal, context());
    const reordered = JSON.parse(JSON.stringify({ context: withPersonal.context, ...withPersonal })) as JsonObject;
    const b = prepareEvent(
      reordered,
      context({ randomBytes: seededRandomBytes("other"), receivedAt: new Date("2026-05-01T09:00:00Z") }),
    );
    expect(b.leafData).not.toEqual(a.leafData);
    expect(b.contentDigest).toBe(a.contentDigest);
  });

  it.each([
    ["another personal value", pageEvent({ actor: { type: "user", id: "u-42", name: "Ada King" } })],
    ["a personal value more", { ...withPersonal, context: { ip: "203.0.113.7", session_id: "s-1", user_agent: "x" } }],
    ["other content", { ...withPersonal, message: "different" }],
  ])("differs for %s", (_, other) => {
    expect(prepareEvent(other, context()).contentDigest).not.toBe(prepareEvent(withPersonal, context()).contentDigest);
  });

  it("differs for another appender and under another tenant's key", () => {
    const a = prepareEvent(withPersonal, context()).contentDigest;
    const otherKey = prepareEvent(withPersonal, context({ appendedBy: { type: "api_key", id: "00000000000000b2" } }));
    const otherTenant = prepareEvent(withPersonal, context({ digestKey: new Uint8Array(32).fill(0xd2) }));
    expect(otherKey.contentDigest).not.toBe(a);
    expect(otherTenant.contentDigest).not.toBe(a);
  });

  it("is not an unkeyed hash of anything in the leaf or the disclosures", () => {
    const prepared = prepareEvent(withPersonal, context());
    const hex = (prepared.contentDigest as string).slice("hmac-sha256:".length);
    expect(hex).not.toBe(toHex(portableHasher.sha256(prepared.leafData)));
    for (const d of prepared.disclosures) {
      expect(hex).not.toBe(toHex(portableHasher.sha256(utf8(JSON.stringify(d.value)))));
    }
  });

  it("is left out without a digest key (validation only)", () => {
    expect(prepareEvent(withPersonal, context({ digestKey: undefined })).contentDigest).toBeUndefined();
  });

  it("refuses a digest key shorter than 32 bytes", () => {
    expect(() => prepareEvent(withPersonal, context({ digestKey: new Uint8Array(16) }))).toThrow(/digestKey/);
  });
});

describe("recomputeContentDigest", () => {
  const key = new Uint8Array(32).fill(0xd1);

  it("gives the sealed digest from the leaf, the disclosures and the key", () => {
    const { id: _, ...withoutId } = withPersonal;
    for (const event of [withPersonal, pageEvent(), withoutId]) {
      const prepared = prepareEvent(event, context());
      expect(recomputeContentDigest(portableHasher, key, prepared.leafData, prepared.disclosures)).toEqual({
        digest: prepared.contentDigest,
      });
    }
  });

  it("gives another digest for a changed disclosure or another key", () => {
    const prepared = prepareEvent(withPersonal, context());
    const changed = prepared.disclosures.map((d) => (d.pointer === "/actor/name" ? { ...d, value: "Eve" } : d));
    expect(recomputeContentDigest(portableHasher, key, prepared.leafData, changed)).not.toEqual({
      digest: prepared.contentDigest,
    });
    expect(
      recomputeContentDigest(portableHasher, new Uint8Array(32), prepared.leafData, prepared.disclosures),
    ).not.toEqual({ digest: prepared.contentDigest });
  });

  it("says why it cannot: an erased personal value, a v1 leaf, a leaf that is not JSON", () => {
    const prepared = prepareEvent(withPersonal, context());
    expect(recomputeContentDigest(portableHasher, key, prepared.leafData, prepared.disclosures.slice(1))).toEqual({
      unavailable: "disclosure_missing",
    });
    const v1 = utf8(JSON.stringify({ ...prepared.committed, schema_version: 1, appended_by: undefined }));
    expect(recomputeContentDigest(portableHasher, key, v1, [])).toEqual({ unavailable: "legacy_entry" });
    expect(recomputeContentDigest(portableHasher, key, utf8("{not json"), [])).toEqual({
      unavailable: "leaf_malformed",
    });
    const proto = utf8('{"schema_version":2,"privacy":{"commitments":{"__proto__":"x"}}}');
    expect(recomputeContentDigest(portableHasher, key, proto, [])).toEqual({ unavailable: "leaf_malformed" });
  });
});

describe("legacyContentDigest (log format v1)", () => {
  it("is unkeyed SHA-256 hex over the event as sent less its personal values, whoever appends it", () => {
    const a = legacyContentDigest(withPersonal, context());
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    const withoutPersonal = pageEvent({ actor: { type: "user", id: "u-42" }, context: { session_id: "s-1" } });
    expect(legacyContentDigest(withoutPersonal, context())).toBe(a);
    expect(legacyContentDigest(withPersonal, context({ appendedBy: { type: "cli", id: "ingest" } }))).toBe(a);
    expect(legacyContentDigest({ ...withPersonal, message: "other" }, context())).not.toBe(a);
  });
});
