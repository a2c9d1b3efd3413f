// Validates OCSF objects against the JSON Schemas generated from the OCSF
// 1.8.0 schema (testdata/ocsf/, scripts/ocsf-json-schema.mjs), picking the
// class's schema by the object's class_uid. Strict ajv: a schema typo fails.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";

const dir = join(import.meta.dirname, "..", "..", "testdata", "ocsf", "1.8.0");
const index = JSON.parse(readFileSync(join(dir, "classes.json"), "utf8")) as {
  version: string;
  classes: Record<string, number>;
};

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, strictTypes: false });
for (const file of readdirSync(dir).filter((f) => f.endsWith(".schema.json"))) {
  ajv.addSchema(JSON.parse(readFileSync(join(dir, file), "utf8")));
}
const byUid = new Map<number, ValidateFunction>(
  Object.entries(index.classes).map(([name, uid]) => {
    const validate = ajv.getSchema(`urn:trailproof:ocsf:${index.version}:${name}`);
    if (!validate) throw new Error(`no schema for OCSF class ${name}`);
    return [uid, validate];
  }),
);

export const OCSF_SCHEMA_VERSION = index.version;
export const OCSF_SCHEMA_CLASSES = index.classes;

/** The schema problems of `object` ("class_uid ..." when its class has no schema); [] when valid. */
export function ocsfProblems(object: Record<string, unknown>): string[] {
  const validate = byUid.get(object.class_uid as number);
  if (!validate) return [`class_uid ${String(object.class_uid)} is not a class we have a schema for`];
  if (validate(object)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "invalid"}`);
}
