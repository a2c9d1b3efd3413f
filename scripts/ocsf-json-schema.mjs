// Turns an OCSF schema checkout (github.com/ocsf/ocsf-schema: JSON dictionaries,
// not JSON Schema) into JSON Schema 2020-12 files for the event classes the OCSF
// formatter maps to (docs/ocsf.md), so tests can validate its output with ajv.
//
//   node scripts/ocsf-json-schema.mjs <ocsf-schema checkout> [out dir, default testdata/ocsf/<version>]
//
// What is compiled: a class's attributes merged down its `extends` chain (the
// base event, the category's class, the class), each typed from dictionary.json
// (scalar types from its `types`, objects as $refs into objects.schema.json),
// `requirement: required` as JSON Schema `required`, the enums of every integer
// attribute (the *_id values; enums merge down the chain as the OCSF server
// merges them), class_uid / category_uid / type_uid as the values the class
// allows, object constraints (`at_least_one`, `just_one`), type regexes, ranges
// and lengths. Attributes a profile adds ($include) are allowed but optional:
// we apply no profile. Unknown attributes are refused (additionalProperties:
// false) except in `unmapped` and the generic `object`, which are open by design.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The classes the formatter maps to (apps/server/src/formats/ocsf/ocsf-classes.ts). */
const CLASSES = [
  "events/iam/account_change.json",
  "events/iam/authentication.json",
  "events/iam/user_access.json",
  "events/iam/entity_management.json",
  "events/application/web_resources_activity.json",
  "events/application/application_lifecycle.json",
  "events/application/api_activity.json",
  "events/application/datastore_activity.json",
  "events/findings/compliance_finding.json",
  "events/findings/detection_finding.json",
];

const [root, outArg] = process.argv.slice(2);
if (!root) {
  console.error("usage: node scripts/ocsf-json-schema.mjs <ocsf-schema checkout> [out dir]");
  process.exit(2);
}
const readJson = (path) => JSON.parse(readFileSync(join(root, path), "utf8"));
const version = readJson("version.json").version;
const out = outArg ?? join("testdata", "ocsf", version);
const objectsId = `urn:trailproof:ocsf:${version}:objects`;

const dictionary = readJson("dictionary.json");
const dictAttrs = dictionary.attributes;
const types = dictionary.types.attributes;
const categories = readJson("categories.json").attributes;

function walk(dir) {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? walk(path) : path.endsWith(".json") ? [path] : [];
  });
}

const objects = new Map(walk("objects").map((path) => [readJson(path).name, readJson(path)]));
const classesByName = new Map(walk("events").map((path) => [readJson(path).name, { path, def: readJson(path) }]));

/** An attribute map with its `$include`d profiles' attributes merged (as optional) under its own. */
function ownAttributes(def) {
  const { $include, ...own } = def.attributes ?? {};
  const merged = {};
  for (const include of [$include ?? []].flat()) {
    const included = readJson(include).attributes ?? {};
    for (const [name, attr] of Object.entries(included)) {
      if (name === "$include") continue;
      merged[name] = { ...attr, requirement: "optional", fromProfile: include };
    }
  }
  for (const [name, attr] of Object.entries(own)) merged[name] = mergeAttr(merged[name], attr);
  return merged;
}

/** A child's attribute over its parent's: fields override, enums merge. */
function mergeAttr(parent, child) {
  if (!parent) return { ...child };
  const merged = { ...parent, ...child };
  if (parent.enum || child.enum) merged.enum = { ...(parent.enum ?? {}), ...(child.enum ?? {}) };
  if (child.requirement === undefined && parent.requirement !== undefined) merged.requirement = parent.requirement;
  return merged;
}

/** Attributes down an `extends` chain, root first. */
function chainAttributes(def, lookup) {
  const parent = def.extends ? lookup(def.extends) : undefined;
  const inherited = parent ? chainAttributes(parent, lookup) : {};
  const own = ownAttributes(def);
  const merged = { ...inherited };
  for (const [name, attr] of Object.entries(own)) merged[name] = mergeAttr(inherited[name], attr);
  return merged;
}

function chainConstraints(def, lookup) {
  if (def.constraints && Object.keys(def.constraints).length > 0) return def.constraints;
  const parent = def.extends ? lookup(def.extends) : undefined;
  return parent ? chainConstraints(parent, lookup) : undefined;
}

const usedObjects = new Set();

function scalarSchema(typeName) {
  const chain = [];
  for (let t = typeName; t && types[t]; t = types[t].type) chain.push(t);
  const base = chain.at(-1);
  const schema = {
    string_t: { type: "string" },
    integer_t: { type: "integer" },
    long_t: { type: "integer" },
    float_t: { type: "number" },
    boolean_t: { type: "boolean" },
    json_t: {},
  }[base];
  if (!schema) throw new Error(`unknown OCSF base type ${base} (from ${typeName})`);
  for (const t of chain) {
    const spec = types[t];
    if (spec.regex && schema.pattern === undefined) {
      try {
        new RegExp(spec.regex, "u");
        schema.pattern = spec.regex;
      } catch {
        // A regex JavaScript's unicode mode cannot compile is left out, not approximated.
      }
    }
    if (spec.max_len && schema.maxLength === undefined) schema.maxLength = spec.max_len;
    if (spec.range) [schema.minimum, schema.maximum] = spec.range;
  }
  return schema;
}

function attributeSchema(name, attr, refPrefix) {
  const dict = dictAttrs[name];
  if (!dict && !attr.type) throw new Error(`attribute ${name} is in no dictionary`);
  const spec = { ...(dict ?? {}), ...attr };
  let schema;
  if (types[spec.type]) {
    schema = scalarSchema(spec.type);
    if (spec.enum && schema.type === "integer") {
      schema.enum = Object.keys(spec.enum)
        .map(Number)
        .sort((a, b) => a - b);
    }
  } else if (spec.type === "object") {
    schema = { type: "object" };
  } else if (objects.has(spec.type)) {
    usedObjects.add(spec.type);
    schema = { $ref: `${refPrefix}#/$defs/${spec.type}` };
  } else {
    throw new Error(`attribute ${name}: unknown type ${spec.type}`);
  }
  const description = (spec.caption ?? name) + (spec.fromProfile ? ` (profile ${spec.fromProfile})` : "");
  if (spec.is_array) return { description, type: "array", items: schema };
  return schema.$ref ? { description, allOf: [schema] } : { description, ...schema };
}

function constraintSchemas(constraints) {
  const all = [];
  if (constraints?.at_least_one) all.push({ anyOf: constraints.at_least_one.map((n) => ({ required: [n] })) });
  if (constraints?.just_one) all.push({ oneOf: constraints.just_one.map((n) => ({ required: [n] })) });
  return all;
}

function objectSchema(attributes, constraints, refPrefix, extra = {}) {
  const properties = {};
  const required = [];
  for (const [name, attr] of Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : 1))) {
    properties[name] = attributeSchema(name, attr, refPrefix);
    if (attr.requirement === "required") required.push(name);
  }
  const schema = { type: "object", properties, required, additionalProperties: false, ...extra };
  const checks = constraintSchemas(constraints);
  if (checks.length > 0) schema.allOf = checks;
  return schema;
}

const lookupObject = (name) => objects.get(name);
const lookupClass = (name) => classesByName.get(name)?.def;

function classSchema(path) {
  const def = readJson(path);
  let categoryName = def.category;
  for (let d = def; !categoryName && d?.extends; d = lookupClass(d.extends))
    categoryName = lookupClass(d.extends)?.category;
  const category = categories[categoryName];
  const classUid = category.uid * 1000 + def.uid;
  const attributes = chainAttributes(def, lookupClass);
  const activities = Object.keys(attributes.activity_id?.enum ?? {}).map(Number);
  const schema = objectSchema(attributes, chainConstraints(def, lookupClass), objectsId);
  // The dictionary's enums for these list every class and category; a class allows only its own.
  const ids = (name, allowed) => ({ description: schema.properties[name].description, type: "integer", ...allowed });
  schema.properties.class_uid = ids("class_uid", { const: classUid });
  schema.properties.category_uid = ids("category_uid", { const: category.uid });
  schema.properties.type_uid = ids("type_uid", {
    enum: activities.sort((a, b) => a - b).map((a) => classUid * 100 + a),
  });
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: `urn:trailproof:ocsf:${version}:${def.name}`,
    title: `OCSF ${version} ${def.caption} [${classUid}]`,
    description: "Generated by scripts/ocsf-json-schema.mjs from the OCSF schema (Apache-2.0); do not edit.",
    ...schema,
  };
}

mkdirSync(out, { recursive: true });
const index = {};
for (const path of CLASSES) {
  const schema = classSchema(path);
  const name = readJson(path).name;
  writeFileSync(join(out, `${name}.schema.json`), `${JSON.stringify(schema, null, 1)}\n`);
  index[name] = schema.properties.class_uid.const;
}

// Objects reachable from the classes, to a fixed point (objects refer to objects, cycles included).
const defs = {};
for (let grew = true; grew; ) {
  grew = false;
  for (const name of [...usedObjects]) {
    if (defs[name]) continue;
    const def = objects.get(name);
    defs[name] = objectSchema(chainAttributes(def, lookupObject), chainConstraints(def, lookupObject), "");
    grew = true;
  }
}
defs.object = { type: "object" };
writeFileSync(
  join(out, "objects.schema.json"),
  `${JSON.stringify(
    {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: objectsId,
      title: `OCSF ${version} objects`,
      description: "Generated by scripts/ocsf-json-schema.mjs from the OCSF schema (Apache-2.0); do not edit.",
      $defs: Object.fromEntries(Object.entries(defs).sort(([a], [b]) => (a < b ? -1 : 1))),
    },
    null,
    1,
  )}\n`,
);
writeFileSync(join(out, "classes.json"), `${JSON.stringify({ version, classes: index }, null, 2)}\n`);
console.log(`OCSF ${version}: ${CLASSES.length} classes, ${Object.keys(defs).length} objects -> ${out}`);
