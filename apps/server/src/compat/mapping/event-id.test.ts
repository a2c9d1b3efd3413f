// Ids already stored must keep deduplicating redeliveries after an upgrade:
// each source's id recipe is pinned here to the bytes it produced when the
// source shipped (natural ids as they are, odd ones hashed under the prefix).
import { describe, expect, it } from "vitest";
import { eventIdOf } from "../cloudevents/cloudevents-mapping.js";
import type { ReceivedCloudEvent } from "../cloudevents/cloudevents-request.js";
import { auditEventId } from "../kubernetes/map-audit-event.js";
import { opaEventId } from "../opa/map-opa-decision.js";
import { workosEventId } from "../workos/workos-event.js";
import { eventIdFrom, isEventId, randomEventId } from "./event-id.js";

describe("compat event ids", () => {
  it("keeps each source's natural id under its prefix", () => {
    expect(opaEventId("4a1c0f2e-7d3b-4f55-9e0a-1b2c3d4e5f60")).toBe("opa-4a1c0f2e-7d3b-4f55-9e0a-1b2c3d4e5f60");
    expect(auditEventId("3f8b5c7e-1d2a", "ResponseComplete")).toBe("k8s-3f8b5c7e-1d2a.ResponseComplete");
    expect(eventIdFrom("otlp", "evt_42")).toBe("evt_42");
  });

  it("hashes what cannot be an id, byte for byte as before", () => {
    expect(opaEventId("a/b c")).toBe("opa-0af99a609169538538d589bf108a2131");
    expect(auditEventId("x y", "ResponseComplete")).toBe("k8s-bdd56f0d15b669b1e29c5f98bb0ac3f3");
    expect(eventIdFrom("otlp", "has space")).toBe("otlp-32a6417bfcccf3764995a6ae2b5ded4a");
    expect(eventIdFrom("otlp", "x".repeat(129))).toMatch(/^otlp-[0-9a-f]{32}$/);
  });

  it("derives CloudEvents ids from (source, id) and WorkOS ids from (tenant, key, Idempotency-Key)", () => {
    const ce = { pointer: "", attributes: { id: "evt-1", source: "urn:app:billing", type: "t", specversion: "1.0" } };
    expect(eventIdOf(ce as ReceivedCloudEvent)).toBe("ce-9dccffc943a9924a786f00bc79410d54");
    expect(workosEventId("acme", "key_1", "k1")).toBe("workos-ad0335f23e67b50aa07bc4e1e92ce1e1");
  });

  it("makes random ids valid and distinct", () => {
    const [a, b] = [randomEventId("workos"), randomEventId("workos")];
    expect(a).toMatch(/^workos-[0-9a-f]{32}$/);
    expect(isEventId(a)).toBe(true);
    expect(a).not.toBe(b);
  });
});
