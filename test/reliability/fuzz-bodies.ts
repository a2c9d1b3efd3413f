// The well-formed bodies fuzz cases start from: a valid request for each
// route the suite knows, and for any other route a minimal instance of the
// body schema its OpenAPI document declares (so a new route gets bodies too).
import { randomBytes } from "node:crypto";
import { chance, intBetween, pick, type Rng } from "./hostile-values.js";
import type { JsonSchema, RouteTarget } from "./route-targets.js";
import { PASSWORD, type World } from "./world.js";

/** A minimal instance of a JSON schema (OpenAPI's request body): required members, first alternatives. */
export function instanceOf(schema: JsonSchema | undefined, depth = 0): unknown {
  if (!schema || depth > 6) return {};
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const alternatives = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (alternatives?.[0]) return instanceOf(alternatives[0], depth + 1);
  switch (schema.type) {
    case "object": {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const required = (schema.required ?? []) as string[];
      return Object.fromEntries(required.map((name) => [name, instanceOf(properties[name], depth + 1)]));
    }
    case "array":
      return [];
    case "integer":
    case "number":
      return typeof schema.minimum === "number" ? schema.minimum : 1;
    case "boolean":
      return true;
    case "string":
      return "x".repeat(typeof schema.minLength === "number" ? schema.minLength : 1);
    default:
      return {};
  }
}

export function validEvent(rng: Rng, id: string, world: World): Record<string, unknown> {
  return {
    id,
    action: pick(rng, ["app.update", "app.page.update", "record.update", "user.login"]),
    occurred_at: new Date(Date.UTC(2026, 10, 3, 12, 0, intBetween(rng, 0, 59))).toISOString(),
    actor: { type: "user", id: pick(rng, ["usr_fuzz", world.acme.actorId, world.globex.actorId]) },
    target: pick(rng, [{ type: "app", id: "app_fuzz" }, world.acme.target, world.globex.target]),
    ...(chance(rng, 0.3) ? { context: { ip: "203.0.113.9", environment: "production" } } : {}),
    ...(chance(rng, 0.3) ? { change: { before: { a: 1 }, after: { a: 2 } } } : {}),
    ...(chance(rng, 0.2) ? { tags: ["fuzz"] } : {}),
  };
}

/** A well-formed body for the route (the seed that mutations start from). */
export function seedBody(rng: Rng, target: RouteTarget, world: World, unique: string): unknown {
  switch (target.name) {
    case "POST /v1/events":
      return validEvent(rng, pick(rng, [`fz_${unique}`, `fz_${unique}`, ...world.globex.eventIds.slice(0, 3)]), world);
    case "POST /v1/tenants":
      return { name: `fz-${unique}`, ...(chance(rng, 0.3) ? { unknown_actions: "accept" } : {}) };
    case "POST /v1/keys":
      return { role: pick(rng, ["ingest", "viewer", "auditor", "admin"]), name: `fuzz ${unique}` };
    case "POST /v1/people":
      return { username: `fz${unique}`, display_name: "Fuzz", role: "viewer", password: PASSWORD };
    case "PATCH /v1/settings":
      return { unknown_actions: pick(rng, ["reject", "accept"]) };
    case "POST /v1/viewer-tokens":
      return {
        viewer: { id: `v_${unique}` },
        ...(chance(rng, 0.3) ? { filter: { actor_id: world.acme.actorId } } : {}),
      };
    case "POST /v1/schemas":
      return { action: `fz.thing${unique}`, version: 1, kind: "update", category: "configuration", defaultRisk: "low" };
    case "POST /v1/auth/login":
      return {
        tenant: pick(rng, ["acme", "globex", "nowhere"]),
        username: pick(rng, ["viewer-acme", "admin-acme", "nobody", world.globex.person]),
        password: pick(rng, [PASSWORD, "wrong password"]),
      };
    case "POST /v1/auth/enroll":
    case "POST /v1/auth/totp":
      return { login_token: randomBytes(24).toString("base64url"), code: pick(rng, ["000000", "123456", "abc"]) };
    case "POST /v1/auth/recover":
      return { login_token: randomBytes(24).toString("base64url"), recovery_code: "abcd-efgh-ijkl" };
    default:
      return instanceOf(target.body);
  }
}
