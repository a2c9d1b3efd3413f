// The built-in catalogue registers cleanly and covers the no-code taxonomy.
import { describe, expect, it } from "vitest";
import { ActionRegistry } from "./action-registry.js";
import { builtinCatalogue, tenantCatalogue } from "./builtin-catalogue.js";
import { checkBackwardCompatible } from "./check-backward-compatible.js";

const required = [
  "app.create",
  "app.update",
  "app.delete",
  "app.page.update",
  "component.wire",
  "template.deploy",
  "package.install",
  "package.uninstall",
  "permission.grant",
  "permission.revoke",
  "role.update",
  "record.create",
  "record.update",
  "record.delete",
  "record.read",
  "record.export",
  "workflow.update",
  "workflow.run.start",
  "workflow.run.finish",
  "integration.connect",
  "policy.evaluate",
  "policy.update",
  "user.login",
  "user.logout",
  "settings.update",
];

describe("builtinCatalogue", () => {
  it("registers every definition into a fresh registry, each later version as compatible", () => {
    const registry = new ActionRegistry();
    // register() refuses a version that rejects what the previous accepted (SCHEMA_INCOMPATIBLE).
    for (const definition of builtinCatalogue) expect(registry.register(definition)).toEqual(definition);
    expect(registry.list()).toHaveLength(builtinCatalogue.length);
    expect(registry.versions("policy.evaluate")).toEqual([1, 2]);
    expect(registry.versions("policy.update")).toEqual([1, 2]);
  });

  it("covers the taxonomy, each action version once", () => {
    const versions = builtinCatalogue.map((d) => `${d.action}@${d.version}`);
    expect(new Set(versions).size).toBe(versions.length);
    expect(builtinCatalogue.map((d) => d.action)).toEqual(expect.arrayContaining(required));
  });

  it("validates a version 1 policy denial without remediation under version 2, the latest", () => {
    const registry = new ActionRegistry(builtinCatalogue);
    const latest = registry.resolve("policy.evaluate");
    expect(latest?.version).toBe(2);
    const old = { policy_id: "pol_1", decision: "deny", phase: 7, matched_rules: ["r1"] };
    expect(registry.validateMetadata(latest as NonNullable<typeof latest>, old)).toEqual([]);
    const bad = { policy_id: 42 };
    expect(registry.validateMetadata(latest as NonNullable<typeof latest>, bad)).toEqual([
      expect.objectContaining({ pointer: "/metadata/policy_id" }),
    ]);
  });

  it("classifies credentials secret and identities personal", () => {
    const registry = new ActionRegistry(builtinCatalogue);
    expect(registry.resolve("integration.connect")?.privacy?.metadata?.["/client_secret"]).toBe("secret");
    expect(registry.resolve("user.login")?.privacy?.metadata?.["/password"]).toBe("secret");
    expect(registry.resolve("record.update")?.privacy?.state?.["/email"]).toBe("personal");
  });

  it("keeps every schema open, so an optional untyped field can be added compatibly", () => {
    for (const definition of builtinCatalogue) {
      for (const schema of [definition.metadataSchema, definition.stateSchema]) {
        if (schema === undefined) continue;
        expect(schema.additionalProperties).toBeUndefined();
        const next = { ...schema, properties: { ...(schema.properties as object), new_field: {} } };
        expect(checkBackwardCompatible(schema, next)).toEqual([]);
      }
    }
  });

  it("keeps a tenant's own version where the built-in catalogue later gained the same number", () => {
    const own = {
      action: "policy.evaluate",
      version: 2,
      kind: "policy_evaluation" as const,
      category: "governance" as const,
      defaultRisk: "medium" as const,
      metadataSchema: { type: "object", properties: { ruleset: { type: "string" } } },
    };
    // Both in one registry would be two different version 2s.
    expect(() => new ActionRegistry([...builtinCatalogue, own])).toThrow();
    const registry = new ActionRegistry(tenantCatalogue([own]));
    expect(registry.resolve("policy.evaluate", 2)?.defaultRisk).toBe("medium");
    expect(registry.resolve("policy.evaluate", 1)?.defaultRisk).toBe("low");
    expect(registry.resolve("policy.update", 2)?.version).toBe(2);
  });
});
