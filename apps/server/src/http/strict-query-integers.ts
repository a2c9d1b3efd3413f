// Integer query parameters are decimal integers, as written. Ajv's coercion
// (`x == +x`) reads "Infinity", "1e309", "0x10" and "1e1" as numbers, so
// `days=Infinity` reached a route as Infinity (a 500) and `start=0x10` as 16.
// Checked on the raw strings, before validation coerces them.
import type { FastifyInstance } from "fastify";
import { HttpProblem } from "./problem.js";

const DECIMAL_INTEGER = /^-?(0|[1-9][0-9]{0,14})$/;

interface QuerySchema {
  properties?: Record<string, { type?: unknown }>;
}

export function registerStrictQueryIntegers(app: FastifyInstance): void {
  app.addHook("preValidation", async (request) => {
    const schema = request.routeOptions.schema?.querystring as QuerySchema | undefined;
    const query = request.query as Record<string, unknown> | undefined;
    if (!schema?.properties || !query) return;
    const problems = Object.entries(schema.properties).flatMap(([name, property]) => {
      if (property.type !== "integer" || !Object.hasOwn(query, name)) return [];
      const values = Array.isArray(query[name]) ? (query[name] as unknown[]) : [query[name]];
      return values.every((v) => typeof v === "string" && DECIMAL_INTEGER.test(v))
        ? []
        : [{ pointer: `/querystring/${name}`, message: "must be a decimal integer" }];
    });
    if (problems.length > 0) {
      throw new HttpProblem(
        "REQUEST_INVALID",
        `query parameters must be decimal integers: ${problems.map((p) => p.pointer).join(", ")}`,
        { problems },
      );
    }
  });
}
