// The real service on a real port with a real SQLite file: 10,000 events in
// batches over HTTP, read back by several filters, proofs fetched and checked
// by the core verifier against the published key.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromBase64, parseVerifierKey, verifyCheckpoint, verifyConsistency, verifyInclusion } from "@trailproof/core";
import { nodeHasher } from "@trailproof/ledger";
import { DEFAULT_CONFIG, type RunningServer, sampleEvents, startServer } from "@trailproof/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const TOTAL = 10_000;
const BATCH = 500;
let server: RunningServer;
let adminKey: string;
let ingestKey: string;

async function api(path: string, init: RequestInit & { key?: string } = {}) {
  const res = await fetch(`${server.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${init.key ?? adminKey}`, "content-type": "application/json", ...init.headers },
  });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) };
}

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "trailproof-e2e-"));
  server = await startServer({ ...DEFAULT_CONFIG, dataDir, port: 0, logLevel: "silent" }, () => undefined);
  const tenant = await api("/v1/tenants", {
    method: "POST",
    key: server.created.operatorKey as string,
    body: JSON.stringify({ name: "e2e" }),
  });
  expect(tenant.status).toBe(201);
  adminKey = tenant.json().admin_key;
  const created = await api("/v1/keys", { method: "POST", body: JSON.stringify({ role: "ingest", name: "e2e" }) });
  expect(created.status).toBe(201);
  ingestKey = created.json().key;
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe("trailproof serve over real HTTP", () => {
  it("ingests 10,000 events in batches, finds them by filters, and proves them", async () => {
    const events = sampleEvents(TOTAL, { seed: 42, idPrefix: "e2e", startMs: Date.UTC(2026, 9, 1) });
    const indexes = new Map<string, number>();
    for (let i = 0; i < TOTAL; i += BATCH) {
      const res = await api("/v1/events", {
        method: "POST",
        key: ingestKey,
        body: JSON.stringify({ events: events.slice(i, i + BATCH) }),
      });
      expect(res.status).toBe(200);
      for (const r of res.json().results) {
        expect(r.status).toBe("created");
        indexes.set(r.id, r.index);
      }
    }
    expect(indexes.size).toBe(TOTAL);

    // Read back by several filters; counts must match what was sent.
    const expectCount = async (query: string, expected: number) => {
      const res = await api(`/v1/stats?${query}&bucket=week`);
      expect(res.status).toBe(200);
      expect(res.json().total).toBe(expected);
    };
    type Sent = { action: string; actor: { id: string }; outcome?: { status: string }; tags: string[] };
    const count = (pred: (e: Sent) => boolean) => events.filter((e) => pred(e as unknown as Sent)).length;
    await expectCount(
      "action=record.update",
      count((e) => e.action === "record.update"),
    );
    await expectCount(
      "q=action:policy.*%20outcome:denied",
      count((e) => e.action === "policy.evaluate" && e.outcome?.status === "denied"),
    );
    await expectCount(
      "actor_id=usr_ada&from=2026-10-01T00:00:00Z",
      count((e) => e.actor.id === "usr_ada"),
    );
    await expectCount(
      "tag=app:crm",
      count((e) => e.tags.includes("app:crm")),
    );
    const page = await api("/v1/events?actor_type=automation&limit=100");
    expect(page.json().events).toHaveLength(100);
    expect(
      page.json().events.every((i: { event: { actor: { type: string } } }) => i.event.actor.type === "automation"),
    ).toBe(true);

    // Proofs against the published key.
    const keyInfo = (await api("/v1/log/key")).json();
    const verifier = parseVerifierKey(nodeHasher, keyInfo.verifier_key);
    const sample = ["e2e_0", "e2e_4999", `e2e_${TOTAL - 1}`];
    for (const id of sample) {
      const detail = (await api(`/v1/events/${id}`)).json();
      expect(detail.index).toBe(indexes.get(id));
      const cp = verifyCheckpoint(detail.proof.checkpoint, verifier, keyInfo.origin);
      const inc = detail.proof.inclusion;
      verifyInclusion(
        nodeHasher,
        inc.index,
        inc.size,
        fromBase64(inc.leaf_hash),
        inc.proof.map(fromBase64),
        cp.rootHash,
      );
    }
    const checkpoint = (await api("/v1/log/checkpoint")).text;
    const latest = verifyCheckpoint(checkpoint, verifier, keyInfo.origin);
    const size = Number(latest.treeSize);
    const consistency = (await api(`/v1/log/proof/consistency?from=1000&to=${size}`)).json();
    const old = await api(`/v1/log/proof/inclusion?index=0&size=1000`);
    expect(old.status).toBe(200);
    // The root at 1,000 is not published as a checkpoint; rebuild it from entries to check the proof.
    const entries = (await api("/v1/log/entries?start=0&end=1000")).text.trimEnd().split("\n");
    expect(entries).toHaveLength(1000);
    const { CompactRange, hashLeaf, utf8 } = await import("@trailproof/core");
    const range = CompactRange.empty(nodeHasher);
    for (const line of entries) range.append(hashLeaf(nodeHasher, utf8(line)));
    verifyConsistency(nodeHasher, 1000, size, consistency.proof.map(fromBase64), range.rootHash(), latest.rootHash);
  }, 240_000);
});
