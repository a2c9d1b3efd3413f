// The Retraced hash port against the vectors Retraced's own client computes
// (its package test, and two worked by hand from its buildHashTarget), and
// against the client's computeHash on awkward inputs: the ported function
// must agree with the one the client verifies answers with.
import { computeHash } from "@retracedhq/retraced";
import { describe, expect, it } from "vitest";
import { buildHashTarget, retracedHash } from "../../apps/server/src/compat/retraced/retraced-hash.js";

describe("Retraced hash", () => {
  it("matches the client package's own vector", () => {
    const event = {
      action: "even.more.of.a.test",
      group: { id: "%% :: some %% customer :: %%" },
      actor: { id: "user@domain.xyz" },
      target: { id: "some_object01234" },
      is_failure: true,
      fields: { ";zyx=cba;abc=xyz": "nothing special", ";Zyx=Cba%Abc=Xyz": "% hi there %" },
    };
    expect(retracedHash(event, "abf053dc4a3042459818833276eec717")).toBe(
      "5b570bff4628b35262fb401d2f6c9bb38d29e212f6e0e8ea93445b4e5a253d50",
    );
  });

  it("leaves empty places for a missing target, actor, group, ip and fields", () => {
    expect(buildHashTarget({ action: "a", is_anonymous: true }, "id1")).toBe("id1:a:::::0:1::");
  });

  it("encodes ids, the external id and metadata", () => {
    const event = {
      action: "user.login",
      actor: { id: "u1" },
      group: { id: "org_1" },
      target: { id: "doc:7" },
      source_ip: "10.0.0.1",
      external_id: "ext-1",
      metadata: { k: "v" },
    };
    expect(buildHashTarget(event, "0123456789abcdef0123456789abcdef")).toBe(
      "0123456789abcdef0123456789abcdef:user.login:doc%3A7:u1:org_1:10.0.0.1:0:0:::ext-1:k=v;",
    );
  });

  it.each([
    ["empty fields add nothing, empty metadata adds a colon", { action: "x.y", fields: {}, metadata: {} }],
    ["numbers and booleans pass through unencoded", { action: "x.y", fields: { n: 5, b: false, z: 0 }, source_ip: 7 }],
    ["upper case sorts before lower case", { action: "x.y", fields: { b: "1", B: "2", a: "3", "%": ":" } }],
    ["an empty actor counts as none", { action: "x.y", actor: {}, group: { id: "g;=:%" } }],
  ])("agrees with the client's computeHash: %s", (_, event) => {
    const id = "28d84aaa8cca4403ba6baa49795a8139";
    expect(retracedHash(event as Record<string, unknown>, id)).toBe(computeHash(event as never, id).hashResult);
  });
});
