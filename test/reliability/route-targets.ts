// The routes the reliability suite covers, read from the app itself: its
// route table (apps/server/src/http/route-table.ts) and, for each route, the
// query parameters and request body its OpenAPI document names. A route added
// to the app is fuzzed and must appear in the authorisation matrix without
// anyone listing it here.
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDataDir } from "@trailproof/ledger";
import { buildApp, createMetrics, DEFAULT_CONFIG, type RouteEntry, routeTableOf } from "@trailproof/server";
import type { FastifyInstance } from "fastify";

export type JsonSchema = Record<string, unknown>;

export interface RouteTarget extends RouteEntry {
  /** "METHOD /url", the route's name in reports and in the matrix's table. */
  name: string;
  /** Path parameters (`:id`, and `*` for a wildcard), in order. */
  params: string[];
  /** Query parameter names from the OpenAPI document. */
  query: string[];
  /** The JSON request body's schema, when the route declares one. */
  body: JsonSchema | undefined;
  /** One of the built web console's files, served as they are. */
  consoleFile: boolean;
}

interface OpenApiOperation {
  parameters?: { in: string; name: string }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

/** `/v1/events/:id` as OpenAPI writes it: `/v1/events/{id}`. */
const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, "{$1}");

export function isConsoleFile(url: string, consoleDir = DEFAULT_CONFIG.consoleDir): boolean {
  if (url === "/") return existsSync(join(consoleDir, "index.html"));
  const path = join(consoleDir, url);
  return path.startsWith(consoleDir) && existsSync(path) && statSync(path).isFile();
}

/** The routes of `app`, which must be ready (its OpenAPI document is built on ready). */
export function routeTargetsOf(app: FastifyInstance): RouteTarget[] {
  const doc = app.swagger() as { paths?: Record<string, Record<string, OpenApiOperation>> };
  return routeTableOf(app).map((route) => {
    const operation = doc.paths?.[toOpenApiPath(route.url)]?.[route.method.toLowerCase()];
    return {
      ...route,
      name: `${route.method} ${route.url}`,
      params: [...route.url.matchAll(/:([A-Za-z0-9_]+)|\*/g)].map((m) => m[1] ?? "*"),
      query: (operation?.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name),
      body: operation?.requestBody?.content?.["application/json"]?.schema,
      consoleFile: route.permission === undefined && isConsoleFile(route.url),
    };
  });
}

/** Builds the app on an empty data directory (the console as configured by default) and reads its routes. */
export async function loadRouteTargets(): Promise<RouteTarget[]> {
  const dataDir = mkdtempSync(join(tmpdir(), "trailproof-routes-"));
  const data = await openDataDir({ dataDir, checkpointIntervalMs: 0 });
  try {
    const app = await buildApp({
      ...data,
      config: { ...DEFAULT_CONFIG, dataDir },
      metrics: createMetrics(),
      logger: false,
    });
    try {
      await app.ready();
      return routeTargetsOf(app);
    } finally {
      await app.close();
    }
  } finally {
    await data.ledger.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
