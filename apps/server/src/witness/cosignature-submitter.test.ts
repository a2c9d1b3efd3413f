// The submitter against a real HTTP receiver playing the witness: it follows
// a 409 to the witness's size with a consistency proof, stores only a
// cosignature that verifies against the configured key, counts a fork and a
// bad answer by reason, and backs off before trying again.

import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildCosigner, type Cosigner, parseNote, portableHasher, toBase64 } from "@trailproof/core";
import { type DataDir, type LeaseStore, openDataDir } from "@trailproof/ledger";
import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import {
  CosignatureSubmitter,
  type CosignatureSubmitterOptions,
  WITNESS_SUBMITTER_LEASE,
} from "./cosignature-submitter.js";
import { createWitnessMetrics } from "./witness-metrics.js";

const w1 = buildCosigner(portableHasher, "witness.test/w1", new Uint8Array(32).fill(1));
const w2 = buildCosigner(portableHasher, "witness.test/w2", new Uint8Array(32).fill(2));
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

type Answer = (oldLine: string, proofLines: number, checkpoint: string) => { status: number; body: string };

async function setUp(answers: Answer[], options: Partial<CosignatureSubmitterOptions> = {}) {
  const data: DataDir = await openDataDir({
    dataDir: mkdtempSync(join(tmpdir(), "trailproof-submitter-")),
    checkpointIntervalMs: 0,
  });
  cleanup.push(() => data.ledger.close());
  await data.ledger.createTenant("acme");
  const event = { action: "app.update", actor: { type: "user", id: "u" }, target: { type: "app", id: "a" } };
  for (let i = 0; i < 3; i++) await data.ledger.append("acme", [{ ...event, occurred_at: new Date().toISOString() }]);
  await data.ledger.publishCheckpoints();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => {
      body += d.toString();
    });
    req.on("end", () => {
      requests.push(body);
      const split = body.indexOf("\n\n");
      const [oldLine, ...proof] = body.slice(0, split).split("\n") as [string, ...string[]];
      const answer = (answers.shift() ?? (() => ({ status: 500, body: "no answer scripted" })))(
        oldLine,
        proof.length,
        body.slice(split + 2),
      );
      res.writeHead(answer.status, { "content-type": answer.status === 409 ? "text/x.tlog.size" : "text/plain" });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanup.push(() => new Promise((resolve) => server.close(() => resolve())));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  const registry = new Registry();
  const logged: { level: string; reason?: string }[] = [];
  let clock = Date.now();
  const push = (level: string) => (obj: object) => logged.push({ level, ...(obj as { reason?: string }) });
  const submitter = new CosignatureSubmitter({
    ledger: data.ledger,
    cosignatures: data.cosignatures,
    witnesses: [{ verifierKey: w1.verifierKey, name: w1.name, url }],
    metrics: createWitnessMetrics(registry),
    log: { info: push("info"), warn: push("warn"), error: push("error") },
    intervalMs: 0,
    now: () => clock,
    ...options,
  });
  const { tenantId } = await data.ledger.tenantRecord("acme");
  const advance = (ms: number) => {
    clock += ms;
  };
  /** Another node's submitter over the same log and witness. */
  const node = (nodeId: string, more: Partial<CosignatureSubmitterOptions> = {}) =>
    new CosignatureSubmitter({
      ledger: data.ledger,
      cosignatures: data.cosignatures,
      witnesses: [{ verifierKey: w1.verifierKey, name: w1.name, url }],
      metrics: createWitnessMetrics(new Registry()),
      log: { info: push("info"), warn: push("warn"), error: push("error") },
      intervalMs: 0,
      now: () => clock,
      nodeId,
      ...more,
    });
  return { data, submitter, requests, registry, logged, tenantId, advance, node };
}

function cosign(signer: Cosigner): Answer {
  return (_old, _proof, checkpoint) => ({
    status: 200,
    body: `${signer.cosign(parseNote(checkpoint).text, 1_800_000_000n)}\n`,
  });
}

async function failures(registry: Registry, reason: string): Promise<number> {
  const metric = (await registry.getSingleMetric("trailproof_witness_failures_total")?.get())?.values ?? [];
  return metric.filter((v) => v.labels.reason === reason).reduce((n, v) => n + v.value, 0);
}

describe("CosignatureSubmitter", () => {
  it("follows a 409 to the witness's size with a consistency proof and stores the verified cosignature", async () => {
    const s = await setUp([() => ({ status: 409, body: "2\n" }), cosign(w1)]);
    await s.submitter.tick();
    expect(s.requests.map((r) => r.split("\n")[0])).toEqual(["old 0", "old 2"]);
    // The second request carries the RFC 6962 proof from size 2 to the checkpoint's.
    const size = (await s.data.ledger.store.latestCheckpoint(s.tenantId))?.treeSize as number;
    const proof = await s.data.ledger.consistencyProof("acme", 2, size);
    expect(proof.length).toBeGreaterThan(0);
    expect(s.requests[1]?.split("\n\n")[0]?.split("\n").slice(1)).toEqual(proof.map(toBase64));
    const stored = await s.data.cosignatures.cosignaturesAt(s.tenantId, size);
    expect(stored.map((c) => [c.witnessKey, c.timestamp])).toEqual([[w1.verifierKey, 1_800_000_000]]);
    // Cosigned: the next round sends nothing.
    await s.submitter.tick();
    expect(s.requests).toHaveLength(2);
  });

  it("stores nothing from an answer signed by another key, and backs off before the retry", async () => {
    const s = await setUp([cosign(w2), cosign(w1)]);
    await s.submitter.tick();
    const size = (await s.data.ledger.store.latestCheckpoint(s.tenantId))?.treeSize as number;
    expect(await s.data.cosignatures.cosignaturesAt(s.tenantId, size)).toEqual([]);
    expect(await failures(s.registry, "bad_cosignature")).toBe(1);
    await s.submitter.tick();
    expect(s.requests).toHaveLength(1);
    s.advance(2000);
    await s.submitter.tick();
    expect(s.requests).toHaveLength(2);
    expect(await s.data.cosignatures.cosignaturesAt(s.tenantId, size)).toHaveLength(1);
  });

  it("reports a 422 and a 409 at the size it sent as a fork, loudly", async () => {
    const s = await setUp([() => ({ status: 422, body: "no" }), (old) => ({ status: 409, body: `${old.slice(4)}\n` })]);
    await s.submitter.tick();
    s.advance(2000);
    await s.submitter.tick();
    expect(await failures(s.registry, "fork")).toBe(2);
    expect(s.logged.filter((l) => l.level === "error").map((l) => l.reason)).toEqual(["fork", "fork"]);
    expect(await s.data.cosignatures.latestCosigned(s.tenantId)).toEqual(new Map());
  });

  it("submits from one node of several: the lease holder's, and the other's once the holder stops", async () => {
    // The lease contract (its PostgreSQL implementation has its own suite), over one clock.
    const held = new Map<string, { holder: string; until: number }>();
    const now = 0;
    const leases: LeaseStore = {
      acquire: async (name, holder, ttlMs) => {
        const lease = held.get(name);
        if (lease && lease.holder !== holder && lease.until > now) return false;
        held.set(name, { holder, until: now + ttlMs });
        return true;
      },
      release: async (name, holder) => {
        if (held.get(name)?.holder === holder) held.delete(name);
      },
    };
    const s = await setUp([cosign(w1), cosign(w1)], { leases, nodeId: "node-a" });
    const b = s.node("node-b", { leases });
    await s.submitter.tick();
    await b.tick();
    expect(s.requests).toHaveLength(1);
    // A newer checkpoint; node A stops and gives the lease up: node B submits it.
    const event = { action: "app.update", actor: { type: "user", id: "u" }, target: { type: "app", id: "a" } };
    await s.data.ledger.append("acme", [{ ...event, occurred_at: new Date().toISOString() }]);
    await s.data.ledger.publishCheckpoints();
    await b.tick();
    expect(s.requests).toHaveLength(1);
    await s.submitter.stop();
    await b.tick();
    expect(s.requests).toHaveLength(2);
    expect(held.get(WITNESS_SUBMITTER_LEASE)?.holder).toBe("node-b");
  });
});
