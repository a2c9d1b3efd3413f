// The real service for the SDK suites: startServer on 127.0.0.1 with a real
// SQLite data directory, a tenant created over HTTP with the operator key,
// and ingest and auditor keys made with the tenant's admin key.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CONFIG, type RunningServer, type ServerConfig, startServer } from "@trailproof/server";

/** Parsed JSON, as loosely typed as JSON.parse: tests read into it freely. */
type Json = ReturnType<typeof JSON.parse>;

export interface SdkServer {
  server: RunningServer;
  dataDir: string;
  port: number;
  url: string;
  operatorKey: string;
  adminKey: string;
  ingestKey: string;
  auditorKey: string;
  /** GET with the admin key; JSON body. */
  get(path: string, key?: string): Promise<{ status: number; body: Json }>;
  stop(): Promise<void>;
  /** Starts the service again on the same data directory and port. */
  restart(): Promise<void>;
}

export function startOn(dataDir: string, port: number, config: Partial<ServerConfig> = {}): Promise<RunningServer> {
  return startServer({ ...DEFAULT_CONFIG, dataDir, port, demo: false, logLevel: "silent", ...config }, () => undefined);
}

async function call(url: string, key: string, init: RequestInit = {}): Promise<{ status: number; body: Json }> {
  const res = await fetch(url, {
    ...init,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...init.headers },
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text.length > 0 && res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text,
  };
}

export async function startSdkServer(tenant = "sdk", config: Partial<ServerConfig> = {}): Promise<SdkServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "trailproof-sdk-"));
  const first = await startOn(dataDir, 0, config);
  const url = first.url;
  const port = Number(new URL(url).port);
  const operatorKey = first.created.operatorKey as string;
  const created = await call(`${url}/v1/tenants`, operatorKey, {
    method: "POST",
    body: JSON.stringify({ name: tenant }),
  });
  if (created.status !== 201) throw new Error(`tenant creation answered ${created.status}`);
  const adminKey = created.body.admin_key as string;
  const key = async (role: string) => {
    const res = await call(`${url}/v1/keys`, adminKey, {
      method: "POST",
      body: JSON.stringify({ role, name: `sdk ${role}` }),
    });
    if (res.status !== 201) throw new Error(`key creation answered ${res.status}`);
    return res.body.key as string;
  };
  const s: SdkServer = {
    server: first,
    dataDir,
    port,
    url,
    operatorKey,
    adminKey,
    ingestKey: await key("ingest"),
    auditorKey: await key("auditor"),
    get: (path, k) => call(`${url}${path}`, k ?? adminKey),
    stop: () => s.server.close(),
    restart: async () => {
      s.server = await startOn(dataDir, port, config);
    },
  };
  return s;
}

/** Every event id of a search, paging through it (admin key). */
export async function searchIds(s: SdkServer, query: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: Json } = await s.get(
      `/v1/events?${query}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    if (page.status !== 200) throw new Error(`search answered ${page.status}: ${JSON.stringify(page.body)}`);
    for (const item of page.body.events) ids.push(item.event.id);
    cursor = page.body.next_cursor;
  } while (cursor);
  return ids;
}

/** The total of a stats query (admin key). */
export async function countEvents(s: SdkServer, query: string): Promise<number> {
  const res = await s.get(`/v1/stats?${query}&bucket=week`);
  if (res.status !== 200) throw new Error(`stats answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.total as number;
}
