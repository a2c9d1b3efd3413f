// Backward-compatibility rule of the action registry: relaxations pass, every
// narrowing is reported at its pointer into the schema.
import { describe, expect, it } from "vitest";
import type { JsonValue } from "../canonical-json.js";
import { checkBackwardCompatible } from "./check-backward-compatible.js";

const obj = (properties: Record<string, JsonValue>, extra: Record<string, JsonValue> = {}) => ({
  type: "object",
  properties,
  ...extra,
});

describe("checkBackwardCompatible: compatible changes", () => {
  const cases: Array<[string, JsonValue, JsonValue]> = [
    ["identical schemas", obj({ a: { type: "string" } }), obj({ a: { type: "string" } })],
    ["annotations only", obj({ a: { type: "string" } }), obj({ a: { type: "string", description: "A", title: "t" } })],
    ["type widened", obj({ a: { type: "string" } }), obj({ a: { type: ["string", "null"] } })],
    ["integer widened to number", { type: "integer" }, { type: "number" }],
    ["type removed", { type: "string" }, {}],
    ["enum widened", { enum: ["a", "b"] }, { enum: ["a", "b", "c"] }],
    ["const to enum containing it", { const: "a" }, { enum: ["a", "b"] }],
    ["enum removed", { enum: [1, 2] }, {}],
    ["required dropped", obj({ a: {} }, { required: ["a"] }), obj({ a: {} })],
    [
      "optional property added where extra fields were refused",
      obj({ a: { type: "string" } }, { additionalProperties: false }),
      obj({ a: { type: "string" }, b: { type: "integer" } }, { additionalProperties: false }),
    ],
    ["untyped optional property added to an open object", obj({ a: {} }), obj({ a: {}, b: { description: "x" } })],
    ["property removed from an open object", obj({ a: { type: "string" }, b: {} }), obj({ a: { type: "string" } })],
    ["additionalProperties false removed", obj({}, { additionalProperties: false }), obj({})],
    ["bounds relaxed", { minimum: 1, maximum: 5 }, { minimum: 0, maximum: 10 }],
    ["exclusive bound to equal inclusive", { exclusiveMinimum: 0 }, { minimum: 0 }],
    ["lengths relaxed", { minLength: 2, maxLength: 5 }, { minLength: 1 }],
    ["items bounds relaxed", { minItems: 2, maxItems: 3 }, { maxItems: 4 }],
    ["multipleOf divides the old one", { multipleOf: 4 }, { multipleOf: 2 }],
    ["pattern removed", { type: "string", pattern: "^a" }, { type: "string" }],
    ["format removed", { type: "string", format: "email" }, { type: "string" }],
    ["items widened", { type: "array", items: { type: "string" } }, { type: "array", items: {} }],
    ["old schema false", false, { type: "string" }],
    ["new schema true", { type: "string" }, true],
    [
      "$ref unchanged",
      { $defs: { x: { type: "string" } }, $ref: "#/$defs/x" },
      { $defs: { x: { type: "string" } }, $ref: "#/$defs/x" },
    ],
  ];
  for (const [name, oldSchema, newSchema] of cases) {
    it(name, () => expect(checkBackwardCompatible(oldSchema, newSchema)).toEqual([]));
  }
});

describe("checkBackwardCompatible: breaking changes", () => {
  const cases: Array<[string, JsonValue, JsonValue, string[]]> = [
    [
      "type narrowed",
      obj({ page_id: { type: ["string", "null"] } }),
      obj({ page_id: { type: "string" } }),
      ["/properties/page_id: type narrowed from [string,null] to [string]"],
    ],
    ["number narrowed to integer", { type: "number" }, { type: "integer" }, ["(root): type narrowed"]],
    ["type added", obj({ a: {} }), obj({ a: { type: "string" } }), ["/properties/a: type narrowed from any type"]],
    [
      "enum narrowed",
      obj({ s: { enum: ["a", "b"] } }),
      obj({ s: { enum: ["a"] } }),
      ['/properties/s: enum narrowed: "b"'],
    ],
    ["enum added", { type: "string" }, { type: "string", enum: ["a"] }, ["(root): enum added"]],
    ["const changed", { const: 1 }, { const: 2 }, ["(root): const narrowed: 1"]],
    [
      "new required",
      obj({ a: {}, b: {} }),
      obj({ a: {}, b: {} }, { required: ["b"] }),
      ["/properties/b: became required"],
    ],
    [
      "property removed while extra fields are refused",
      obj({ a: {}, b: {} }, { additionalProperties: false }),
      obj({ a: {} }, { additionalProperties: false }),
      ["/properties/b: property removed while additionalProperties is false"],
    ],
    [
      "additionalProperties became false",
      obj({ a: {} }),
      obj({ a: {} }, { additionalProperties: false }),
      ["/additionalProperties: additionalProperties became false"],
    ],
    [
      "additionalProperties narrowed",
      obj({}, { additionalProperties: { type: ["string", "number"] } }),
      obj({}, { additionalProperties: { type: "string" } }),
      ["/additionalProperties: type narrowed from [string,number] to [string]"],
    ],
    [
      "typed property added to an open object",
      obj({ a: {} }),
      obj({ a: {}, b: { type: "string" } }),
      ["/properties/b: type narrowed from any type to [string] (the old schema accepted this field"],
    ],
    ["minimum raised", { minimum: 0 }, { minimum: 1 }, ["(root): lower bound tightened from minimum 0 to minimum 1"]],
    ["minimum added", {}, { minimum: 0 }, ["(root): lower bound tightened from none to minimum 0"]],
    [
      "maximum lowered",
      { maximum: 10 },
      { maximum: 9 },
      ["(root): upper bound tightened from maximum 10 to maximum 9"],
    ],
    [
      "inclusive to exclusive",
      { minimum: 0 },
      { exclusiveMinimum: 0 },
      ["(root): lower bound tightened from minimum 0 to exclusiveMinimum 0"],
    ],
    [
      "exclusiveMaximum added",
      {},
      { exclusiveMaximum: 5 },
      ["(root): upper bound tightened from none to exclusiveMaximum 5"],
    ],
    [
      "minLength raised",
      obj({ n: { minLength: 1 } }),
      obj({ n: { minLength: 2 } }),
      ["/properties/n: minLength tightened from 1 to 2"],
    ],
    [
      "maxLength added",
      { type: "string" },
      { type: "string", maxLength: 8 },
      ["(root): maxLength tightened from unbounded to 8"],
    ],
    ["minItems raised", { type: "array" }, { type: "array", minItems: 1 }, ["(root): minItems tightened from 0 to 1"]],
    ["maxItems lowered", { maxItems: 3 }, { maxItems: 2 }, ["(root): maxItems tightened from 3 to 2"]],
    ["maxProperties added", {}, { maxProperties: 4 }, ["(root): maxProperties tightened from unbounded to 4"]],
    ["minProperties raised", {}, { minProperties: 1 }, ["(root): minProperties tightened from 0 to 1"]],
    ["multipleOf added", {}, { multipleOf: 2 }, ["(root): multipleOf tightened from none to multipleOf 2"]],
    ["uniqueItems added", { type: "array" }, { type: "array", uniqueItems: true }, ["(root): uniqueItems added"]],
    [
      "pattern added",
      obj({ s: { type: "string" } }),
      obj({ s: { type: "string", pattern: "^a" } }),
      ['/properties/s: pattern added to "^a"'],
    ],
    ["pattern changed", { pattern: "^a" }, { pattern: "^b" }, ['(root): pattern changed from "^a" to "^b"']],
    ["format added", { type: "string" }, { type: "string", format: "email" }, ['(root): format added to "email"']],
    [
      "items narrowed",
      { type: "array", items: { type: ["string", "null"] } },
      { type: "array", items: { type: "string" } },
      ["/items: type narrowed from [string,null] to [string]"],
    ],
    [
      "prefixItems narrowed",
      { prefixItems: [{ type: "string" }, {}] },
      { prefixItems: [{ type: "string" }, { type: "integer" }] },
      ["/prefixItems/1: type narrowed from any type to [integer]"],
    ],
    [
      "nested object narrowed",
      obj({ page: obj({ layout: { type: ["string", "null"] } }) }),
      obj({ page: obj({ layout: { type: "string" } }) }),
      ["/properties/page/properties/layout: type narrowed from [string,null] to [string]"],
    ],
    ["schema became false", obj({ a: {} }), obj({ a: false }), ["/properties/a: schema became false"]],
    [
      "$ref changed",
      { $ref: "#/$defs/a" },
      { $ref: "#/$defs/b" },
      ["/$ref: $ref changed; compatibility cannot be proven"],
    ],
    ["anyOf added", {}, { anyOf: [{ type: "string" }] }, ["/anyOf: anyOf added"]],
    ["oneOf changed", { oneOf: [{}, { type: "string" }] }, { oneOf: [{}] }, ["/oneOf: oneOf changed"]],
    ["allOf removed", { allOf: [{ type: "string" }] }, {}, ["/allOf: allOf removed"]],
    ["unknown keyword changed", { "x-ui": 1 }, { "x-ui": 2 }, ["/x-ui: x-ui changed"]],
  ];
  for (const [name, oldSchema, newSchema, expected] of cases) {
    it(name, () => {
      const reasons = checkBackwardCompatible(oldSchema, newSchema);
      expect(reasons).toHaveLength(expected.length);
      for (const [i, text] of expected.entries()) expect(reasons[i]).toContain(text);
    });
  }

  it("reports every reason of a schema with several breaks", () => {
    const reasons = checkBackwardCompatible(
      obj({ a: { type: ["string", "null"] }, b: { maxLength: 10 } }),
      obj({ a: { type: "string" }, b: { maxLength: 5 } }, { required: ["a"], additionalProperties: false }),
    );
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringContaining("/properties/a: type narrowed"),
        expect.stringContaining("/properties/b: maxLength tightened from 10 to 5"),
        expect.stringContaining("/properties/a: became required"),
        expect.stringContaining("/additionalProperties: additionalProperties became false"),
      ]),
    );
    expect(reasons).toHaveLength(4);
  });

  it("refuses a value that is not a schema", () => {
    expect(checkBackwardCompatible({}, 3)).toEqual(["(root): is not a JSON Schema (neither an object nor a boolean)"]);
  });
});
