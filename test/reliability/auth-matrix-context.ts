// The authorisation matrix's world: the app in-process on a real data
// directory (app.inject), acme and globex provisioned through the API, and one
// app per credential over the same directory, so the failed sign-ins one
// column makes cannot throttle another's (the sign-in limiter is per app).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DataDir, issueApiKey, MemorySharedState, openDataDir } from "@trailproof/ledger";
import { buildApp, createMetrics, DEFAULT_CONFIG } from "@trailproof/server";
import type { FastifyInstance } from "fastify";
import { type RouteTarget, routeTargetsOf } from "./route-targets.js";
import { type Call, injectSend, provisionWorld, type Send, type Session, type World } from "./world.js";

/** Who calls: no credential, an API key of each role, a viewer token, and people signed in to the console. */
export const COLUMNS = [
  "none",
  "ingest",
  "viewer",
  "auditor",
  "admin",
  "operator",
  "token",
  "s:viewer",
  "s:auditor",
  // Before s:admin: s:admin's POST /v1/auth/logout ends the session both columns use.
  "s:nocsrf",
  "s:admin",
] as const;
export type Column = (typeof COLUMNS)[number];

export interface MatrixContext {
  data: DataDir;
  world: World;
  /** Through the first app, for setup. */
  send: Send;
  routes: RouteTarget[];
  /** The credential part of a call for `column`. */
  credential(column: Column): Pick<Call, "key" | "cookie" | "csrf">;
  /** The app `column`'s requests go to. */
  sendAs(column: Column): Send;
  close(): Promise<void>;
}

export async function buildMatrixContext(): Promise<MatrixContext> {
  const dataDir = mkdtempSync(join(tmpdir(), "trailproof-matrix-"));
  const data = await openDataDir({ dataDir, checkpointIntervalMs: 0 });
  // notifyPollMs 0: the apps send no webhook, so dead letters made for the matrix stay dead.
  const config = { ...DEFAULT_CONFIG, dataDir, checkpointIntervalMs: 0, notifyPollMs: 0 };
  // Each column's app counts its own failed sign-ins (a fresh shared state), as
  // separate clients would: one column's foreign sign-ins must not throttle the next.
  const newApp = () =>
    buildApp({ ...data, shared: new MemorySharedState(), config, metrics: createMetrics(), logger: false });
  const apps: FastifyInstance[] = [];
  try {
    const app = await newApp();
    apps.push(app);
    await app.ready();
    const send = injectSend(app);
    const operator = await issueApiKey(data.access, {
      tenantId: null,
      role: "operator",
      name: "op",
      createdBy: "matrix",
    });
    const world = await provisionWorld(send, operator.key, { events: 12, sessions: true, spareSessions: 0 });
    // Checkpoints cover the provisioned entries (the ledger runs no publisher here).
    await data.ledger.publishCheckpoints();
    const perColumn = new Map<Column, Send>();
    for (const column of COLUMNS) {
      const columnApp = await newApp();
      apps.push(columnApp);
      perColumn.set(column, injectSend(columnApp));
    }
    const { acme } = world;
    const session = (s: Session | undefined, csrf: boolean) => {
      if (!s) throw new Error("the matrix signs in one person of each role");
      return { cookie: s.cookie, ...(csrf ? { csrf: s.csrf } : {}) };
    };
    return {
      data,
      world,
      send,
      routes: routeTargetsOf(app),
      credential(column) {
        switch (column) {
          case "none":
            return {};
          case "operator":
            return { key: world.operator };
          case "token":
            return { key: acme.viewerToken };
          case "s:viewer":
            return session(acme.sessions.viewer, true);
          case "s:auditor":
            return session(acme.sessions.auditor, true);
          case "s:admin":
            return session(acme.sessions.admin, true);
          case "s:nocsrf":
            return session(acme.sessions.admin, false);
          default:
            return { key: acme.keys[column] };
        }
      },
      sendAs: (column) => perColumn.get(column) as Send,
      async close() {
        for (const a of apps) await a.close();
        await data.ledger.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    for (const a of apps) await a.close();
    await data.ledger.close();
    throw err;
  }
}
