// GET /v1/export on the PostgreSQL store over real HTTP: more events than one
// search page (500), so the export's async generator pages through the store;
// ndjson holds exactly the search's events in order, the CSV a row for each,
// and every OCSF line validates, with prev_index chaining across the pages.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMasterKey, type DataDir, openDatabase, provisionTenant } from "@trailproof/ledger";
import { buildApp, createMetrics, DEFAULT_CONFIG, sampleEvents } from "@trailproof/server";
import { parse } from "csv-parse/sync";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestDatabase,
  type TestDatabase,
} from "../../packages/ledger/src/store/postgres/postgres-test-database.fixture.js";
import { ocsfProblems } from "./ocsf-validate.js";

const EVENTS = 1_200;
let db: TestDatabase;
let node: DataDir;
let app: FastifyInstance;
let base: string;
let key: string;

async function get(path: string): Promise<string> {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${key}` } });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${text}`);
  return text;
}

const lines = (text: string) =>
  text
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  db = await createTestDatabase();
  const masterKeyFile = join(mkdtempSync(join(tmpdir(), "trailproof-export-pg-")), "master.key");
  createMasterKey(masterKeyFile);
  node = await openDatabase({ database: db.appUrl, masterKeyFile, checkpointIntervalMs: 0, poolSize: 4 });
  app = await buildApp({
    ...node,
    config: { ...DEFAULT_CONFIG, checkpointIntervalMs: 0, selfCheckIntervalMs: 0 },
    metrics: createMetrics(),
    logger: false,
  });
  base = await app.listen({ host: "127.0.0.1", port: 0 });
  ({ adminKey: key } = await provisionTenant(node.ledger, node.access, "acme", { createdBy: "test" }));
  const events = sampleEvents(EVENTS, { seed: 3, idPrefix: "pg" });
  for (let i = 0; i < events.length; i += 300) {
    const results = await node.ledger.append("acme", events.slice(i, i + 300));
    if (results.some((r) => r.status !== "created"))
      throw new Error(JSON.stringify(results.find((r) => r.status !== "created")));
  }
}, 120_000);

afterAll(async () => {
  await app?.close();
  await node?.ledger.close();
  await db?.drop();
});

describe("GET /v1/export on PostgreSQL", () => {
  it("pages through the store: ndjson, csv and ocsf hold every matching event", async () => {
    const views = lines(await get("/v1/export?format=ndjson&q=-action%3Aaudit.*"));
    const ids = views.map((v) => (v.event as { id: string }).id);
    expect(ids.filter((id) => id.startsWith("pg_"))).toHaveLength(EVENTS);
    const searched: string[] = [];
    let cursor: string | null = null;
    do {
      const page = JSON.parse(
        await get(
          `/v1/events?order=asc&limit=500&q=-action%3Aaudit.*${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        ),
      ) as { events: { event: { id: string } }[]; next_cursor: string | null };
      searched.push(...page.events.map((e) => e.event.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(ids).toEqual(searched);

    const rows = parse(await get("/v1/export?format=csv&q=-action%3Aaudit.*"), { columns: true });
    expect(rows).toHaveLength(ids.length);

    const objects = lines(await get("/v1/export?format=ocsf&q=-action%3Aaudit.*"));
    expect(objects).toHaveLength(ids.length);
    let prev: number | null = null;
    for (const object of objects) {
      expect(ocsfProblems(object)).toEqual([]);
      const position = (object.unmapped as { trailproof: { index: number; prev_index: number | null } }).trailproof;
      expect(position.prev_index).toBe(prev);
      prev = position.index;
    }
  });
});
