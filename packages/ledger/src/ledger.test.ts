import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  fromBase64,
  hasErrorCode,
  parseVerifierKey,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from "@trailproof/core";
import { afterEach, describe, expect, it } from "vitest";
import type { Ledger } from "./ledger.js";
import { nodeHasher } from "./node-hasher.js";
import { openDataDir } from "./open-data-dir.js";

const open: Ledger[] = [];
afterEach(async () => {
  for (const l of open.splice(0)) await l.close();
});

async function newLedger(dataDir = mkdtempSync(join(tmpdir(), "trailproof-ledger-"))) {
  const ledger = (await openDataDir({ dataDir, checkpointIntervalMs: 0 })).ledger;
  open.push(ledger);
  return { ledger, dataDir };
}

function event(i: number, extra: Record<string, unknown> = {}) {
  return {
    id: `evt_${i}`,
    action: "app.update",
    occurred_at: "2026-05-01T10:00:00.123+02:00",
    actor: { type: "user", id: "usr_ada", name: "Ada Lovelace" },
    target: { type: "app", id: `app_${i % 3}` },
    context: { ip: "203.0.113.7", session_id: "ses_1" },
    ...extra,
  };
}

describe("Ledger", () => {
  it("appends with gapless indexes and receipts, one result per input in order", async () => {
    const { ledger } = await newLedger();
    await ledger.createTenant("acme");
    const results = await ledger.append("acme", [event(0), { action: "nope" }, event(1)]);
    expect(results.map((r) => r.status)).toEqual(["created", "rejected", "created"]);
    expect(results[0]).toMatchObject({ id: "evt_0", index: 0 });
    expect(results[2]).toMatchObject({ id: "evt_1", index: 1 });
    const rejected = results[1];
    if (rejected?.status !== "rejected") throw new Error("expected a rejection");
    expect(rejected.problems.length).toBeGreaterThan(1);
    expect(await ledger.treeSize("acme")).toBe(2);
  });

  it("shares one group commit among concurrent appends without gaps", async () => {
    const { ledger } = await newLedger();
    await ledger.createTenant("acme");
    const all = await Promise.all(
      Array.from({ length: 20 }, (_, k) => ledger.append("acme", [event(2 * k), event(2 * k + 1)])),
    );
    const indexes = all.flat().map((r) => (r.status === "created" ? r.index : -1));
    expect(indexes.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it("reports when the oldest unsigned entry arrived, not only when the last checkpoint was signed", async () => {
    let nowMs = Date.parse("2026-05-01T10:00:00Z");
    const dataDir = mkdtempSync(join(tmpdir(), "trailproof-ledger-"));
    const ledger = (await openDataDir({ dataDir, checkpointIntervalMs: 0, now: () => nowMs })).ledger;
    open.push(ledger);
    await ledger.createTenant("acme");
    await ledger.append("acme", [event(0)]);
    await ledger.publishCheckpoints();
    expect((await ledger.logStatus())[0]).toMatchObject({ treeSize: 1, checkpointSize: 1, oldestUnsignedAt: null });
    // A quiet spell, then two appends: the wait starts at the first of them.
    nowMs += 60_000;
    await ledger.append("acme", [event(1)]);
    nowMs += 2_000;
    await ledger.append("acme", [event(2)]);
    expect((await ledger.logStatus())[0]).toMatchObject({
      treeSize: 3,
      checkpointSize: 1,
      checkpointSignedAt: "2026-05-01T10:00:00.000Z",
      oldestUnsignedAt: "2026-05-01T10:01:00.000Z",
    });
    await ledger.publishCheckpoints();
    expect((await ledger.logStatus())[0]).toMatchObject({ checkpointSize: 3, oldestUnsignedAt: null });
  });

  it("is idempotent: same id and content is a duplicate with the original receipt, different content is refused", async () => {
    const { ledger } = await newLedger();
    await ledger.createTenant("acme");
    const [first] = await ledger.append("acme", [event(0)]);
    const [again, inBatchTwin] = await ledger.append("acme", [event(0), event(0)]);
    expect(again).toEqual({ ...first, status: "duplicate" });
    expect(inBatchTwin).toEqual({ ...first, status: "duplicate" });
    const [conflict] = await ledger.append("acme", [event(0, { message: "something else" })]);
    expect(conflict).toMatchObject({ status: "rejected", id: "evt_0", problems: [{ pointer: "/id" }] });
    const [a, b] = await ledger.append("acme", [event(9), event(9, { message: "other" })]);
    expect(a?.status).toBe("created");
    expect(b?.status).toBe("rejected");
    expect(await ledger.treeSize("acme")).toBe(2);
  });

  it("signs checkpoints whose inclusion and consistency proofs verify against the published key", async () => {
    const { ledger } = await newLedger();
    const tenant = await ledger.createTenant("acme");
    const [key] = await ledger.verifierKeys("acme");
    const verifier = parseVerifierKey(nodeHasher, key?.verifier_key as string);
    await ledger.append(
      "acme",
      Array.from({ length: 13 }, (_, i) => event(i)),
    );
    await ledger.publishCheckpoints();
    const cp13 = verifyCheckpoint((await ledger.latestCheckpoint("acme")).note, verifier, tenant.origin);
    expect(cp13.treeSize).toBe(13n);
    const receipts = await ledger.append(
      "acme",
      Array.from({ length: 8 }, (_, i) => event(100 + i)),
    );
    await ledger.publishCheckpoints();
    const cp21 = verifyCheckpoint((await ledger.latestCheckpoint("acme")).note, verifier, tenant.origin);
    const r = receipts[3];
    if (r?.status !== "created") throw new Error("expected created");
    const proof = await ledger.inclusionProof("acme", r.index, 21);
    verifyInclusion(nodeHasher, r.index, 21, fromBase64(r.leafHash), proof, cp21.rootHash);
    verifyConsistency(nodeHasher, 13, 21, await ledger.consistencyProof("acme", 13, 21), cp13.rootHash, cp21.rootHash);
  });

  it("refuses proofs for sizes beyond the tree with PROOF_SIZE_OUT_OF_RANGE", async () => {
    const { ledger } = await newLedger();
    await ledger.createTenant("acme");
    await ledger.append("acme", [event(0), event(1)]);
    await expect(ledger.inclusionProof("acme", 0, 3)).rejects.toSatisfy((e) =>
      hasErrorCode(e, "PROOF_SIZE_OUT_OF_RANGE"),
    );
    await expect(ledger.inclusionProof("acme", 2, 2)).rejects.toSatisfy((e) =>
      hasErrorCode(e, "PROOF_SIZE_OUT_OF_RANGE"),
    );
    await expect(ledger.consistencyProof("acme", 0, 2)).rejects.toSatisfy((e) =>
      hasErrorCode(e, "PROOF_SIZE_OUT_OF_RANGE"),
    );
  });

  it("resumes the same tree after a restart", async () => {
    const { ledger, dataDir } = await newLedger();
    await ledger.createTenant("acme");
    await ledger.append(
      "acme",
      Array.from({ length: 11 }, (_, i) => event(i)),
    );
    const root11 = await ledger.rootHashAt("acme", 11);
    await ledger.close();
    open.splice(0);
    const reopened = (await newLedger(dataDir)).ledger;
    expect(await reopened.rootHashAt("acme", 11)).toEqual(root11);
    await reopened.append("acme", [event(11)]);
    await reopened.publishCheckpoints();
    const checkpoints = await reopened.checkpoints("acme");
    // Signed at creation (0), on close (11), and now (12).
    expect(checkpoints.map((c) => c.treeSize)).toEqual([0, 11, 12]);
    expect(checkpoints[1]?.rootHash).toEqual(root11);
    const proof = await reopened.consistencyProof("acme", 11, 12);
    verifyConsistency(nodeHasher, 11, 12, proof, root11, checkpoints[2]?.rootHash as Uint8Array);
  });

  it("knows which tenants exist, from the store before a tenant is loaded and after a restart", async () => {
    const { ledger, dataDir } = await newLedger();
    expect(await ledger.hasTenant("acme")).toBe(false);
    await ledger.createTenant("acme");
    expect(await ledger.hasTenant("acme")).toBe(true);
    await ledger.close();
    open.splice(0);
    const reopened = (await newLedger(dataDir)).ledger;
    expect(await reopened.hasTenant("acme")).toBe(true);
    expect(await reopened.hasTenant("globex")).toBe(false);
  });

  it("keeps old checkpoints verifiable after a key rotation", async () => {
    const { ledger } = await newLedger();
    const tenant = await ledger.createTenant("acme");
    await ledger.append("acme", [event(0)]);
    const keys = await ledger.rotateSigningKey("acme");
    expect(keys).toHaveLength(2);
    expect(keys[0]?.retired_at).not.toBeNull();
    await ledger.append("acme", [event(1)]);
    await ledger.publishCheckpoints();
    const [older, newer] = keys.map((k) => parseVerifierKey(nodeHasher, k.verifier_key));
    const cps = await ledger.checkpoints("acme");
    expect(verifyCheckpoint(cps[1]?.note as string, older as never, tenant.origin).treeSize).toBe(1n);
    expect(verifyCheckpoint(cps[2]?.note as string, newer as never, tenant.origin).treeSize).toBe(2n);
  });

  it("refuses unknown tenants and bad tenant names", async () => {
    const { ledger } = await newLedger();
    await expect(ledger.append("ghost", [event(0)])).rejects.toSatisfy((e) => hasErrorCode(e, "TENANT_NOT_FOUND"));
    await expect(ledger.createTenant("Bad Name")).rejects.toSatisfy((e) => hasErrorCode(e, "TENANT_NAME_INVALID"));
  });
});
