import { ActionRegistry, builtinCatalogue, isServiceAction, portableHasher, prepareEvent } from "@trailproof/core";
import { describe, expect, it } from "vitest";
import { type EventFields, events } from "./event-builders.js";

const registry = new ActionRegistry(builtinCatalogue);
const common: EventFields = {
  id: "evt_1",
  occurredAt: new Date(Date.UTC(2026, 4, 1, 10)),
  actor: { type: "user", id: "usr_ada", name: "Ada Lovelace" },
  target: { type: "thing", id: "thing_1", path: ["workspace:acme"] },
};

function check(event: unknown) {
  return prepareEvent(event, {
    registry,
    unknownActions: "reject",
    receivedAt: new Date(),
    newId: () => "unused",
    hasher: portableHasher,
    randomBytes: (n) => new Uint8Array(n),
    appendedBy: { type: "api_key", id: "0000000000000001" },
  });
}

describe("events builders", () => {
  it("cover every action of the built-in catalogue but those only the service itself records", () => {
    const built = Object.values(events).map((build) => build(common).action);
    const catalogue = [...new Set(builtinCatalogue.map((d) => d.action))].filter((a) => !isServiceAction(a));
    expect(new Set(built)).toEqual(new Set(catalogue));
    expect(built).toHaveLength(catalogue.length);
  });

  it("build events every one of which validates against the catalogue", () => {
    for (const [name, build] of Object.entries(events)) {
      const event = (build as (f: EventFields & { before?: object; after?: object }) => object)({
        ...common,
        before: { name: "old" },
        after: { name: "new" },
      });
      expect(() => check(event), name).not.toThrow();
    }
  });

  it("put typed metadata and states where the catalogue validates them", () => {
    const page = events.pageUpdated({
      ...common,
      metadata: { editor_mode: "visual" },
      before: { layout: "grid" },
      after: { layout: "stack" },
    });
    expect(page).toEqual({
      id: "evt_1",
      action: "app.page.update",
      occurred_at: "2026-05-01T10:00:00.000Z",
      actor: common.actor,
      target: common.target,
      metadata: { editor_mode: "visual" },
      change: { before: { layout: "grid" }, after: { layout: "stack" } },
    });
    const wrong = events.pageUpdated({ ...common, after: { layout: 3 as unknown as string } });
    expect(() => check(wrong)).toThrow(expect.objectContaining({ code: "EVENT_INVALID" }));
  });
});
