// Privacy at commit time: secrets never reach the leaf, personal values are
// replaced by salted commitments that disclosures open and tampering breaks.
import { describe, expect, it } from "vitest";
import type { JsonObject } from "../canonical-json.js";
import { hasErrorCode } from "../errors.js";
import { portableHasher as hasher } from "../hasher.js";
import { ActionRegistry } from "../schema/action-registry.js";
import { builtinCatalogue } from "../schema/builtin-catalogue.js";
import { type Disclosure, verifyDisclosure } from "./disclosure.js";
import { stateHash } from "./event-change.js";
import { prepareEvent } from "./prepare-event.js";
import { redactEvent, revealEvent } from "./reveal-event.js";
import { containsText, context, thrown } from "./test-fixtures.js";

const connect: JsonObject = {
  action: "integration.connect",
  occurred_at: "2026-05-01T10:00:00Z",
  actor: { type: "user", id: "u-1", name: "Grace Hopper" },
  target: { type: "integration", id: "stripe" },
  context: { ip: "203.0.113.9", user_agent: "Mozilla/5.0 (Secret Agent)", session_id: "s-1" },
  metadata: {
    provider: "stripe",
    api_key: "sk_live_TOPSECRET",
    client_secret: "cs_ALSO_SECRET",
    account_email: "grace@example.com",
  },
};

const recordUpdate: JsonObject = {
  action: "record.update",
  occurred_at: "2026-05-01T10:00:00Z",
  actor: { type: "user", id: "u-1" },
  target: { type: "record", id: "r-1" },
  change: {
    before: { email: "old@example.com", password: "hunter2", plan: "free" },
    after: { email: "new@example.com", password: "correct-horse", plan: "pro" },
  },
};

describe("secret fields", () => {
  it("are removed from metadata and listed in privacy.masked", () => {
    const prepared = prepareEvent(connect, context());
    expect(containsText(prepared.leafData, "TOPSECRET")).toBe(false);
    expect(containsText(prepared.leafData, "ALSO_SECRET")).toBe(false);
    expect(prepared.committed.privacy).toMatchObject({ masked: ["/metadata/api_key", "/metadata/client_secret"] });
    expect(prepared.committed.metadata).toEqual({ provider: "stripe" });
    expect(JSON.stringify(prepared.disclosures)).not.toContain("SECRET");
  });

  it("are removed from both states and from patch values", () => {
    const prepared = prepareEvent(recordUpdate, context());
    for (const secret of ["hunter2", "correct-horse"]) expect(containsText(prepared.leafData, secret)).toBe(false);
    const masked = (prepared.committed.privacy as JsonObject).masked as string[];
    expect(masked).toEqual(["/change/after/password", "/change/before/password", "/change/patch/1/value"]);
    expect(((prepared.committed.change as JsonObject).patch as JsonObject[])[1]).toEqual({
      op: "replace",
      path: "/password",
    });
  });

  it("stay out of the content digest", () => {
    const a = prepareEvent(connect, context());
    const b = prepareEvent(
      { ...connect, metadata: { ...(connect.metadata as JsonObject), api_key: "other" } },
      context(),
    );
    expect(b.contentDigest).toBe(a.contentDigest);
  });

  it("are checked against client hashes as sent, then hashed as committed", () => {
    const before = (recordUpdate.change as JsonObject).before as JsonObject;
    const change = { ...(recordUpdate.change as JsonObject), before_hash: stateHash(hasher, before) };
    const committed = prepareEvent({ ...recordUpdate, change }, context()).committed.change as JsonObject;
    expect((committed.before as JsonObject).password).toBeUndefined();
    expect(committed.before_hash).not.toBe(change.before_hash);
    expect(committed.before_hash).toBe(stateHash(hasher, committed.before as JsonObject));
    expect(committed.after_hash).toBe(stateHash(hasher, committed.after as JsonObject));
    const wrong = { ...(recordUpdate.change as JsonObject), before_hash: stateHash(hasher, { other: 1 }) };
    expect(() => prepareEvent({ ...recordUpdate, change: wrong }, context())).toThrow(
      expect.objectContaining({ code: "EVENT_INVALID" }),
    );
  });
});

describe("personal fields", () => {
  it("are replaced by commitments that their disclosures open", () => {
    const prepared = prepareEvent(connect, context());
    const privacy = prepared.committed.privacy as { commitments: Record<string, string> };
    const pointers = ["/actor/name", "/context/ip", "/context/user_agent", "/metadata/account_email"];
    expect(Object.keys(privacy.commitments)).toEqual(pointers);
    expect(prepared.disclosures.map((d) => d.pointer)).toEqual(pointers);
    for (const text of ["Grace Hopper", "203.0.113.9", "Secret Agent", "grace@example.com"]) {
      expect(containsText(prepared.leafData, text)).toBe(false);
    }
    expect(prepared.committed.context).toEqual({ session_id: "s-1" });
    for (const d of prepared.disclosures) {
      expect(() => verifyDisclosure(hasher, privacy.commitments[d.pointer] as string, d)).not.toThrow();
    }
    expect(prepared.disclosures[0]).toMatchObject({ pointer: "/actor/name", value: "Grace Hopper" });
  });

  it("fail verification when the value, salt or pointer is tampered with", () => {
    const prepared = prepareEvent(connect, context());
    const commitments = (prepared.committed.privacy as { commitments: Record<string, string> }).commitments;
    const d = prepared.disclosures[0] as Disclosure;
    const commitment = commitments[d.pointer] as string;
    const tampered: Disclosure[] = [
      { ...d, value: "Grace Hoppr" },
      { ...d, salt: (prepared.disclosures[1] as Disclosure).salt },
      { ...d, salt: "not base64!" },
      { ...d, salt: "AAAA" },
    ];
    for (const t of tampered) {
      expect(
        hasErrorCode(
          thrown(() => verifyDisclosure(hasher, commitment, t)),
          "PRIVACY_COMMITMENT_MISMATCH",
        ),
      ).toBe(true);
    }
    const moved = { ...d, pointer: "/metadata/account_email" };
    expect(
      hasErrorCode(
        thrown(() => revealEvent(prepared.committed, [moved])),
        "PRIVACY_COMMITMENT_MISMATCH",
      ),
    ).toBe(true);
    const unknown = { ...d, pointer: "/target/id" };
    expect(
      hasErrorCode(
        thrown(() => revealEvent(prepared.committed, [unknown])),
        "PRIVACY_COMMITMENT_MISMATCH",
      ),
    ).toBe(true);
  });

  it("are restored by revealEvent and removed again by redactEvent", () => {
    const prepared = prepareEvent(connect, context());
    const revealed = revealEvent(prepared.committed, prepared.disclosures);
    expect(revealed.actor).toEqual({ type: "user", id: "u-1", name: "Grace Hopper" });
    expect(revealed.context).toEqual(connect.context);
    expect(revealed.metadata).toEqual({ provider: "stripe", account_email: "grace@example.com" });
    expect(redactEvent(revealed)).toEqual(prepared.committed);
    expect(redactEvent(prepared.committed)).toEqual(prepared.committed);
  });

  it("cover state fields and the patch values under them", () => {
    const prepared = prepareEvent(recordUpdate, context());
    const commitments = (prepared.committed.privacy as { commitments: JsonObject }).commitments;
    expect(Object.keys(commitments)).toEqual(["/change/after/email", "/change/before/email", "/change/patch/2/value"]);
    for (const text of ["old@example.com", "new@example.com"])
      expect(containsText(prepared.leafData, text)).toBe(false);
    const revealed = revealEvent(prepared.committed, prepared.disclosures);
    expect(((revealed.change as JsonObject).patch as JsonObject[])[2]).toEqual({
      op: "replace",
      path: "/email",
      value: "new@example.com",
    });
  });

  it("cover nested values of a patch operation above a personal pointer, and array elements", () => {
    const registry = new ActionRegistry([
      ...builtinCatalogue,
      {
        action: "crm.contact.update",
        version: 1,
        kind: "update",
        category: "data",
        defaultRisk: "low",
        privacy: { state: { "/contact/email": "personal", "/phones/*": "personal" } },
      },
    ]);
    const prepared = prepareEvent(
      {
        action: "crm.contact.update",
        occurred_at: "2026-05-01T10:00:00Z",
        actor: { type: "user", id: "u-1" },
        target: { type: "contact", id: "c-1" },
        change: {
          patch: [
            { op: "add", path: "/contact", value: { email: "x@example.com", tier: "gold" } },
            { op: "replace", path: "/phones", value: ["+1 555 0100", "+1 555 0101"] },
          ],
        },
      },
      context({ registry }),
    );
    const patch = (prepared.committed.change as JsonObject).patch as JsonObject[];
    expect(patch[0]).toEqual({ op: "add", path: "/contact", value: { tier: "gold" } });
    expect(patch[1]).toEqual({ op: "replace", path: "/phones", value: [null, null] });
    expect(prepared.disclosures.map((d) => d.pointer)).toEqual([
      "/change/patch/0/value/email",
      "/change/patch/1/value/0",
      "/change/patch/1/value/1",
    ]);
    expect(revealEvent(prepared.committed, prepared.disclosures).change).toMatchObject({
      patch: [{ value: { email: "x@example.com", tier: "gold" } }, { value: ["+1 555 0100", "+1 555 0101"] }],
    });
  });

  it("stay out of rendered messages, and are in the (keyed) content digest", () => {
    const a = prepareEvent(connect, context());
    const b = prepareEvent({ ...connect, actor: { type: "user", id: "u-1", name: "Someone Else" } }, context());
    // A retry with other personal values is a different event, not a duplicate whose values are dropped.
    expect(b.contentDigest).not.toBe(a.contentDigest);
    expect(b.leafData).not.toEqual(a.leafData);
    expect(a.committed.message).toBe("user u-1 connected integration stripe");
  });
});
