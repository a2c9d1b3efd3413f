// The action registry: registration rules, resolution, refusals by code, and
// the compiled validators behind metadata and state checks.
import { describe, expect, it } from "vitest";
import { hasErrorCode, type TrailproofError } from "../errors.js";
import type { ActionDefinition } from "./action-definition.js";
import { ActionRegistry } from "./action-registry.js";

const pageV1: ActionDefinition = {
  action: "app.page.update",
  version: 1,
  kind: "update",
  category: "configuration",
  defaultRisk: "low",
  messageTemplate: "{actor.id} updated {target.name}",
  metadataSchema: { type: "object", properties: { page_id: { type: ["string", "null"] } } },
  privacy: { metadata: { "/editor_email": "personal" } },
};

function thrown(fn: () => unknown): TrailproofError {
  try {
    fn();
  } catch (err) {
    return err as TrailproofError;
  }
  throw new Error("expected a throw");
}

describe("ActionRegistry.register and resolve", () => {
  it("resolves the latest or a named version and lists versions", () => {
    const registry = new ActionRegistry();
    registry.register(pageV1);
    const v2 = registry.register({
      ...pageV1,
      version: 2,
      metadataSchema: { type: "object", properties: { page_id: { type: ["string", "null"] }, layout: {} } },
    });
    expect(registry.resolve("app.page.update")).toBe(v2);
    expect(registry.resolve("app.page.update", 1)?.version).toBe(1);
    expect(registry.resolve("app.page.update", 3)).toBeUndefined();
    expect(registry.resolve("app.other")).toBeUndefined();
    expect(registry.versions("app.page.update")).toEqual([1, 2]);
    expect(registry.versions("nope.nope")).toEqual([]);
    expect(registry.list().map((d) => `${d.action}@${d.version}`)).toEqual(["app.page.update@1", "app.page.update@2"]);
  });

  it("stores a frozen copy, unaffected by later edits of the argument", () => {
    const registry = new ActionRegistry();
    const mine = structuredClone(pageV1);
    const stored = registry.register(mine);
    mine.defaultRisk = "critical";
    expect(stored.defaultRisk).toBe("low");
    expect(Object.isFrozen(stored.metadataSchema)).toBe(true);
  });

  it("refuses a definition with many faults, listing each at its pointer", () => {
    const err = thrown(() =>
      new ActionRegistry().register({
        action: "App.Update",
        version: 0,
        kind: "rename",
        category: "stuff",
        defaultRisk: "severe",
        extra: true,
      } as unknown as ActionDefinition),
    );
    expect(hasErrorCode(err, "SCHEMA_INVALID")).toBe(true);
    const pointers = err.problems.map((p) => p.pointer).sort();
    expect(pointers).toEqual(["/action", "/category", "/defaultRisk", "/extra", "/kind", "/version"]);
    expect(err.problems.find((p) => p.pointer === "/kind")?.message).toMatch(/^must be one of: read, create/);
  });

  it("refuses versions out of order", () => {
    const registry = new ActionRegistry();
    expect(thrown(() => registry.register({ ...pageV1, version: 2 })).problems).toEqual([
      { pointer: "/version", message: "must be 1, since it is the first version" },
    ]);
    registry.register(pageV1);
    const err = thrown(() => registry.register(pageV1));
    expect(err.code).toBe("SCHEMA_INVALID");
    expect(err.problems[0]?.message).toBe("must be 2, since the latest is 1");
  });

  it("refuses schemas that do not compile and unknown keywords", () => {
    const err = thrown(() =>
      new ActionRegistry().register({
        ...pageV1,
        metadataSchema: { type: "object", requried: ["a"] },
        stateSchema: { type: "strin" },
      }),
    );
    expect(err.code).toBe("SCHEMA_INVALID");
    expect(err.problems.map((p) => p.pointer)).toEqual(["/metadataSchema", "/stateSchema"]);
    expect(err.problems[0]?.message).toContain("requried");
  });

  it("refuses bad templates and bad privacy patterns", () => {
    const err = thrown(() =>
      new ActionRegistry().register({
        ...pageV1,
        messageTemplate: "{actor.name} did {action",
        privacy: { metadata: { email: "personal", "/a~2b": "secret" } },
      }),
    );
    expect(err.code).toBe("SCHEMA_INVALID");
    expect(err.problems.map((p) => p.pointer)).toEqual([
      "/messageTemplate",
      "/messageTemplate",
      "/privacy/metadata/email",
      "/privacy/metadata/~1a~02b",
    ]);
    expect(err.problems[0]?.message).toContain("unknown placeholder {actor.name}");
  });

  it("refuses an unknown privacy class", () => {
    const definition = { ...pageV1, privacy: { metadata: { "/x": "confidential" } } } as unknown as ActionDefinition;
    const err = thrown(() => new ActionRegistry().register(definition));
    expect(err.code).toBe("SCHEMA_INVALID");
    expect(err.problems[0]?.pointer).toBe("/privacy/metadata/~1x");
  });

  it("refuses an incompatible new version with every reason as a problem", () => {
    const registry = new ActionRegistry([pageV1]);
    const err = thrown(() =>
      registry.register({
        ...pageV1,
        version: 2,
        metadataSchema: { type: "object", properties: { page_id: { type: "string" } }, required: ["page_id"] },
        stateSchema: { type: "object", additionalProperties: false },
      }),
    );
    expect(hasErrorCode(err, "SCHEMA_INCOMPATIBLE")).toBe(true);
    expect(err.problems).toEqual([
      { pointer: "/metadataSchema/properties/page_id", message: "became required" },
      { pointer: "/metadataSchema/properties/page_id", message: "type narrowed from [string,null] to [string]" },
      { pointer: "/stateSchema", message: "type narrowed from any type to [object]" },
      {
        pointer: "/stateSchema/additionalProperties",
        message: "additionalProperties became false, so fields not listed in properties are now rejected",
      },
    ]);
    expect(registry.versions("app.page.update")).toEqual([1]);
  });
});

describe("ActionRegistry constructor", () => {
  it("loads trusted definitions in any order and skips exact repeats", () => {
    const v2 = { ...pageV1, version: 2, metadataSchema: { type: "object" } };
    const registry = new ActionRegistry([v2, pageV1, pageV1]);
    expect(registry.versions("app.page.update")).toEqual([1, 2]);
  });

  it("does not re-judge compatibility of stored history but still checks shape", () => {
    const narrowed = { ...pageV1, version: 2, metadataSchema: { type: "object", additionalProperties: false } };
    expect(new ActionRegistry([pageV1, narrowed]).resolve("app.page.update")?.version).toBe(2);
    expect(thrown(() => new ActionRegistry([{ ...pageV1, version: 3 }])).code).toBe("SCHEMA_INVALID");
  });
});

describe("ActionRegistry validators", () => {
  it("keeps schemas that share an $id apart, across registries too", () => {
    const schema = (type: string) => ({ $id: "https://example.com/meta", type: "object", properties: { n: { type } } });
    const a = new ActionRegistry([{ ...pageV1, metadataSchema: schema("string") }]);
    const b = new ActionRegistry([{ ...pageV1, metadataSchema: schema("integer") }]);
    const [da, db] = [a.resolve("app.page.update"), b.resolve("app.page.update")] as ActionDefinition[];
    expect(a.validateMetadata(da as ActionDefinition, { n: "x" })).toEqual([]);
    expect(b.validateMetadata(db as ActionDefinition, { n: 1 })).toEqual([]);
    expect(b.validateMetadata(db as ActionDefinition, { n: "x" })).toEqual([
      { pointer: "/metadata/n", message: "must be an integer" },
    ]);
  });

  it("reports metadata and state problems under the given pointers", () => {
    const registry = new ActionRegistry([
      { ...pageV1, stateSchema: { type: "object", properties: { n: { type: "integer" } } } },
    ]);
    const definition = registry.resolve("app.page.update") as ActionDefinition;
    expect(registry.validateMetadata(definition, { page_id: 7 })).toEqual([
      { pointer: "/metadata/page_id", message: "must be a string or null" },
    ]);
    expect(registry.validateState(definition, { n: "x" }, "/change/after")).toEqual([
      { pointer: "/change/after/n", message: "must be an integer" },
    ]);
    expect(registry.validateMetadata(definition, { page_id: null, anything: 1 })).toEqual([]);
  });
});
