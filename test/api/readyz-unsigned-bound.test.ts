// /readyz over real HTTP (issue 11): readiness fails only when an entry has
// waited unsigned longer than 5 * TRAILPROOF_CHECKPOINT_INTERVAL_MS
// (docs/runbooks/operations.md), never because the last checkpoint is old
// after a quiet spell.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type DataDir, issueApiKey, openDataDir, provisionTenant } from "@trailproof/ledger";
import { buildApp, createMetrics, DEFAULT_CONFIG, type RunningServer, startServer } from "@trailproof/server";
import type { FastifyInstance } from "fastify";
import { afterAll, describe, expect, it } from "vitest";

const INTERVAL_MS = 400;
const BOUND_MS = 5 * INTERVAL_MS;

interface Readiness {
  status: number;
  problems: string[];
}

async function readyz(url: string): Promise<Readiness> {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, problems: ((await res.json()) as { problems: string[] }).problems };
}

async function appendOne(url: string, key: string, id: string): Promise<void> {
  const res = await fetch(`${url}/v1/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({
      events: [
        {
          id,
          action: "record.update",
          occurred_at: new Date().toISOString(),
          actor: { type: "service_account", id: "svc_load" },
          target: { type: "record", id: "rec_1" },
        },
      ],
    }),
  });
  expect(res.status).toBe(200);
  expect(((await res.json()) as { results: { status: string }[] }).results[0]?.status).toBe("created");
}

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers.splice(0)) await close();
});

describe("/readyz and the unsigned-entry bound", () => {
  it("stays 200 when the first write after a quiet spell finds an old checkpoint", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "trailproof-readyz-"));
    const server: RunningServer = await startServer(
      { ...DEFAULT_CONFIG, dataDir, port: 0, demo: false, logLevel: "silent", checkpointIntervalMs: INTERVAL_MS },
      () => undefined,
    );
    closers.push(() => server.close());
    const operator = server.created.operatorKey as string;
    const tenant = await fetch(`${server.url}/v1/tenants`, {
      method: "POST",
      headers: { authorization: `Bearer ${operator}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "acme" }),
    });
    const adminKey = ((await tenant.json()) as { admin_key: string }).admin_key;
    const issued = await fetch(`${server.url}/v1/keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
      body: JSON.stringify({ role: "ingest", name: "load" }),
    });
    const ingestKey = ((await issued.json()) as { key: string }).key;
    await appendOne(server.url, ingestKey, "evt_before");
    // Quiet for longer than the bound and than the old 10 s threshold on the last checkpoint's age.
    await sleep(10_500);
    expect(await readyz(server.url)).toEqual({ status: 200, problems: [] });
    await appendOne(server.url, ingestKey, "evt_after");
    // Through the next publishing intervals, while the new entry waits for its signature.
    const seen: Readiness[] = [];
    for (let i = 0; i < 8; i++) {
      seen.push(await readyz(server.url));
      await sleep(INTERVAL_MS / 2);
    }
    expect(seen.filter((r) => r.status !== 200)).toEqual([]);
  }, 30_000);

  it("answers 503 only once an entry has waited unsigned past the bound, and 200 once it is signed", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "trailproof-readyz-"));
    // The ledger's publisher never fires (interval 0) while the service promises INTERVAL_MS: a publisher that does not sign.
    const data: DataDir = await openDataDir({ dataDir, checkpointIntervalMs: 0 });
    const config = { ...DEFAULT_CONFIG, dataDir, checkpointIntervalMs: INTERVAL_MS };
    const app: FastifyInstance = await buildApp({ ...data, config, metrics: createMetrics(), logger: false });
    closers.push(async () => {
      await app.close();
      await data.ledger.close();
    });
    const made = await provisionTenant(data.ledger, data.access, "acme", { createdBy: "test" });
    const ingest = await issueApiKey(data.access, {
      tenantId: made.tenant.tenantId,
      role: "ingest",
      name: "load",
      createdBy: "test",
    });
    await data.ledger.publishCheckpoints();
    const url = await app.listen({ host: "127.0.0.1", port: 0 });
    expect(await readyz(url)).toEqual({ status: 200, problems: [] });

    const appendedAt = Date.now();
    await appendOne(url, ingest.key, "evt_waits");
    expect((await readyz(url)).status).toBe(200);
    await sleep(BOUND_MS - 600 - (Date.now() - appendedAt));
    expect((await readyz(url)).status).toBe(200);

    await sleep(BOUND_MS + 300 - (Date.now() - appendedAt));
    expect(await readyz(url)).toEqual({
      status: 503,
      problems: [`tenant acme: checkpoint is stale (entries unsigned for more than ${BOUND_MS} ms)`],
    });

    await data.ledger.publishCheckpoints();
    expect(await readyz(url)).toEqual({ status: 200, problems: [] });
  }, 30_000);
});
