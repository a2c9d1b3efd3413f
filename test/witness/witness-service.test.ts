// The service and a witness together, each for real: the service on a real
// port submits its checkpoints to `trailproof witness serve` (a child
// process), stores the cosignatures and serves them on GET
// /v1/log/checkpoint; failures reach /metrics; and `trailproof verify`
// passes with the witness's key and fails with another key or too high a count.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  portableHasher as hasher,
  parseCosignerKey,
  parseVerifierKey,
  verifyCheckpoint,
  verifyCosignatures,
} from "@trailproof/core";
import { DEFAULT_CONFIG, type RunningServer, sampleEvents, startServer } from "@trailproof/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trailproof } from "../run-cli.js";
import { startWitness, type WitnessProcess } from "./witness-process.js";

const W1 = "witness.test/w1";
let dataDir: string;
let server: RunningServer | undefined;
let witness: WitnessProcess;
let w1Dir: string;
let w1Key: string;
let w2Key: string;
let operatorKey: string;
let adminKey: string;
let ingestKey: string;
let origin: string;
let logKey: string;
let sent = 0;

async function api(path: string, init: RequestInit & { key?: string } = {}) {
  const res = await fetch(`${server?.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${init.key ?? adminKey}`, "content-type": "application/json", ...init.headers },
  });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) };
}

async function ingest(count: number): Promise<void> {
  const events = sampleEvents(count, { seed: sent + 1, idPrefix: `w${sent}`, startMs: Date.UTC(2026, 9, 1) });
  const res = await api("/v1/events", { method: "POST", key: ingestKey, body: JSON.stringify({ events }) });
  expect(res.status, res.text).toBe(200);
  sent += count;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function treeSizeOf(note: string): number {
  return Number(note.split("\n")[1]);
}

function start(witnesses: { verifierKey: string; name: string; url: string }[]): Promise<RunningServer> {
  return startServer(
    {
      ...DEFAULT_CONFIG,
      dataDir,
      port: 0,
      logLevel: "silent",
      demo: false,
      checkpointIntervalMs: 100,
      witnesses,
      witnessIntervalMs: 100,
    },
    () => undefined,
  );
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "trailproof-witnessed-"));
  // A first start makes the tenant and its log key, which the witness is then told to trust.
  server = await start([]);
  operatorKey = server.created.operatorKey as string;
  const tenant = await api("/v1/tenants", { method: "POST", key: operatorKey, body: JSON.stringify({ name: "acme" }) });
  expect(tenant.status).toBe(201);
  adminKey = tenant.json().admin_key;
  const created = await api("/v1/keys", { method: "POST", body: JSON.stringify({ role: "ingest", name: "w" }) });
  ingestKey = created.json().key;
  const key = (await api("/v1/log/key")).json();
  origin = key.origin;
  logKey = key.verifier_key;
  await server.close();

  w1Dir = mkdtempSync(join(tmpdir(), "trailproof-w1-"));
  w1Key = (await trailproof(["witness", "init", "--data", w1Dir, "--name", W1])).stdout.trim();
  w2Key = (
    await trailproof(["witness", "init", "--data", mkdtempSync(join(tmpdir(), "trailproof-w2-")), "--name", "w2"])
  ).stdout.trim();
  const added = await trailproof(["witness", "add-log", "--data", w1Dir, "--origin", origin, "--key", logKey]);
  expect(added.code, added.stderr).toBe(0);
  witness = await startWitness(w1Dir);
  server = await start([{ verifierKey: w1Key, name: W1, url: witness.url }]);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await witness?.stop();
});

describe("witness cosigning end to end", () => {
  it("submits each new checkpoint, stores the cosignature and serves it attached", async () => {
    await ingest(20);
    const first = await until("a cosigned checkpoint of 20 entries", async () => {
      const res = await api("/v1/log/checkpoint?cosigned=1");
      return res.status === 200 && treeSizeOf(res.text) >= 20 ? res.text : undefined;
    });
    // Still the log's valid checkpoint, and cosigned by the witness's key.
    verifyCheckpoint(first, parseVerifierKey(hasher, logKey), origin);
    expect(verifyCosignatures(first, [parseCosignerKey(hasher, w1Key)]).map((c) => c.name)).toEqual([W1]);
    // Refused, and a refused read is not recorded: the log does not grow. A new key, whose
    // first read of the checkpoint this is (reads are recorded once per key and window).
    const created = await api("/v1/keys", { method: "POST", body: JSON.stringify({ role: "auditor", name: "a" }) });
    expect(created.status, created.text).toBe(201);
    const sizeBefore = await server?.data.ledger.treeSize("acme");
    expect((await api("/v1/log/checkpoint?cosigned=2", { key: created.json().key })).status).toBe(404);
    expect(await server?.data.ledger.treeSize("acme")).toBe(sizeBefore);
    const listed = (await api("/v1/log/checkpoints")).json().checkpoints as {
      tree_size: number;
      cosignatures: number;
    }[];
    expect(listed.find((c) => c.tree_size === treeSizeOf(first))?.cosignatures).toBe(1);
    expect(listed.find((c) => c.tree_size === 0)?.cosignatures).toBe(0);
    expect((await api("/v1/log/checkpoint?cosigned=-1")).status).toBe(400);

    // A grown log: the submission carries a consistency proof from the cosigned size.
    await ingest(15);
    const grown = await until("a cosigned checkpoint of 35 entries", async () => {
      const res = await api("/v1/log/checkpoint?cosigned=1");
      return res.status === 200 && treeSizeOf(res.text) >= 35 ? res.text : undefined;
    });
    expect(verifyCosignatures(grown, [parseCosignerKey(hasher, w1Key)])).toHaveLength(1);
    const metrics = (await api("/metrics", { key: operatorKey })).text;
    const gauge = new RegExp(`trailproof_witness_cosigned_tree_size\\{tenant="acme",witness="${W1}"\\} (\\d+)`).exec(
      metrics,
    );
    expect(Number(gauge?.[1])).toBeGreaterThanOrEqual(35);
  }, 60_000);

  it("counts failures while the witness is down and catches up once it is back", async () => {
    const port = witness.port;
    await witness.stop();
    await ingest(5);
    await until("an unreachable failure in /metrics", async () => {
      const metrics = (await api("/metrics", { key: operatorKey })).text;
      return /trailproof_witness_failures_total\{tenant="acme",witness="witness\.test\/w1",reason="unreachable"\} [1-9]/.test(
        metrics,
      )
        ? true
        : undefined;
    });
    const latest = await until("the latest checkpoint", async () => {
      const res = await api("/v1/log/checkpoint");
      return res.status === 200 ? treeSizeOf(res.text) : undefined;
    });
    witness = await startWitness(w1Dir, port);
    await until(
      "the cosignature after the witness came back",
      async () => {
        const res = await api("/v1/log/checkpoint?cosigned=1");
        return res.status === 200 && treeSizeOf(res.text) >= latest ? true : undefined;
      },
      60_000,
    );
  }, 90_000);

  it("verify passes with the witness's key and fails with another key or too many required", async () => {
    const data = server?.data;
    if (!data) throw new Error("no server");
    const { tenantId } = await data.ledger.tenantRecord("acme");
    // No request after this point: reads are audited, and a new entry would need a new checkpoint.
    const note = await until("the whole log signed and cosigned", async () => {
      const cp = await data.ledger.store.latestCheckpoint(tenantId);
      const size = await data.ledger.treeSize("acme");
      if (!cp || cp.treeSize < size) return undefined;
      const lines = await data.cosignatures.cosignaturesAt(tenantId, cp.treeSize);
      return lines.length > 0 ? cp.note : undefined;
    });
    await server?.close();
    server = undefined;
    const base = ["verify", "--data", dataDir, "--tenant", "acme"];
    const ok = await trailproof([...base, "--witness-key", w1Key, "--min-cosignatures", "1"]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`cosigned: latest checkpoint (size ${treeSizeOf(note)})`);
    const other = await trailproof([...base, "--witness-key", w2Key, "--min-cosignatures", "1"]);
    expect(other.code).toBe(1);
    expect(other.stdout).toContain("NOT COSIGNED: latest checkpoint");
    const many = await trailproof([...base, "--witness-key", w1Key, w2Key, "--min-cosignatures", "2"]);
    expect(many.code).toBe(1);
    expect(many.stdout).toContain("only 1 of 2 required cosignatures");
    // A --checkpoint file is held to the same rule: the bare signed note has no cosignature.
    const bare = join(dataDir, "..", "bare-checkpoint.txt");
    writeFileSync(bare, note);
    const file = await trailproof([...base, "--checkpoint", bare, "--witness-key", w1Key]);
    expect(file.code).toBe(1);
    expect(file.stdout).toContain(`NOT COSIGNED: ${bare}`);
    const usage = await trailproof([...base, "--min-cosignatures", "1"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("VERIFY_OPTIONS_INVALID");
  }, 90_000);
});
