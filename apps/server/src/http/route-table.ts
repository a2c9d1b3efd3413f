// The service's route table as Fastify registers it (method, URL, the
// permission the route requires), recorded by an onRoute hook so that the
// reliability suite's fuzzer and authorisation matrix cover every route,
// including routes added after they were written.
import { type Permission, PROBLEM_CONTENT_TYPE } from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";

export interface RouteEntry {
  method: string;
  /** The route's pattern, with `:param` placeholders as registered. */
  url: string;
  /** Undefined for public routes (health, docs, console files, sign-in). */
  permission: Permission | undefined;
  /** Viewer tokens may call this route. */
  embeddable: boolean;
  /** The media types of its error answers: problem+json, or a compat client's own. */
  errorMediaTypes: readonly string[];
}

const tables = new WeakMap<FastifyInstance, RouteEntry[]>();

/** Starts recording `app`'s routes. MUST be called before any route or plugin is registered. */
export function recordRouteTable(app: FastifyInstance): void {
  const table: RouteEntry[] = [];
  tables.set(app, table);
  app.addHook("onRoute", (route) => {
    const config = (route.config ?? {}) as {
      permission?: Permission;
      embeddable?: boolean;
      errorMediaTypes?: readonly string[];
    };
    for (const method of [route.method].flat()) {
      table.push({
        method,
        url: route.url,
        permission: config.permission,
        embeddable: config.embeddable === true,
        errorMediaTypes: config.errorMediaTypes ?? [PROBLEM_CONTENT_TYPE],
      });
    }
  });
}

/** Every route of `app`, in registration order (HEAD routes Fastify adds for GET included). */
export function routeTableOf(app: FastifyInstance): readonly RouteEntry[] {
  const table = tables.get(app);
  if (!table) throw new Error("this app was not built with recordRouteTable");
  return table;
}
