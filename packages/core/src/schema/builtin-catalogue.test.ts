// The built-in catalogue registers cleanly and covers the no-code taxonomy.
import { describe, expect, it } from "vitest";
import { ActionRegistry } from "./action-registry.js";
import { builtinCatalogue } from "./builtin-catalogue.js";
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
  it("registers every definition into a fresh registry", () => {
    const registry = new ActionRegistry();
    for (const definition of builtinCatalogue) expect(registry.register(definition).version).toBe(1);
    expect(registry.list()).toHaveLength(builtinCatalogue.length);
  });

  it("covers the taxonomy, each action once", () => {
    const actions = builtinCatalogue.map((d) => d.action);
    expect(new Set(actions).size).toBe(actions.length);
    expect(actions).toEqual(expect.arrayContaining(required));
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
});
