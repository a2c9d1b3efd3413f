// Idempotency and appenders in the ledger (log format v2): a repeated id is a
// duplicate only for the same content, personal values included, from the
// same appender; every other repeat gets one refusal that says nothing about
// the recorded event. Digest keys live in keys/<tenant>/digest-key.
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AppendedBy, hasErrorCode, recomputeContentDigest } from "@trailproof/core";
import { afterEach, describe, expect, it } from "vitest";
import type { Ledger } from "../ledger.js";
import { nodeHasher } from "../node-hasher.js";
import { openDataDir } from "../open-data-dir.js";
import { SEAL_INLINE_BELOW_EVENTS } from "../seal/seal-batch.js";
import { ID_TAKEN_PROBLEM } from "./write-entries.js";

const open: Ledger[] = [];
afterEach(async () => {
  for (const l of open.splice(0)) await l.close();
});

async function newLedger(dataDir = mkdtempSync(join(tmpdir(), "trailproof-idem-")), extra = {}) {
  const ledger = (await openDataDir({ dataDir, checkpointIntervalMs: 0, sealingWorkers: 1, ...extra })).ledger;
  open.push(ledger);
  if (!(await ledger.getTenant("acme"))) await ledger.createTenant("acme");
  return { ledger, dataDir };
}

const INGEST: AppendedBy = { type: "api_key", id: "00000000000000a1" };
const OTHER: AppendedBy = { type: "api_key", id: "00000000000000b2" };

function event(i: number, name = "Ada Lovelace", extra: Record<string, unknown> = {}) {
  return {
    id: `evt_${i}`,
    action: "app.update",
    occurred_at: "2026-05-01T10:00:00.123+02:00",
    actor: { type: "user", id: "usr_ada", name },
    target: { type: "app", id: `app_${i % 3}` },
    context: { ip: "203.0.113.7" },
    ...extra,
  };
}

const leafOf = async (ledger: Ledger, index: number) =>
  JSON.parse(new TextDecoder().decode((await ledger.readEntries("acme", index, index + 1))[0]?.leafData));

describe("idempotency (log format v2)", () => {
  it("answers an identical retry from the same key with the original receipt", async () => {
    const { ledger } = await newLedger();
    const [first] = await ledger.append("acme", [event(0)], { appendedBy: INGEST });
    const [again, twin] = await ledger.append("acme", [event(0), event(0)], { appendedBy: INGEST });
    expect(first?.status).toBe("created");
    expect(again).toEqual({ ...first, status: "duplicate" });
    expect(twin).toEqual({ ...first, status: "duplicate" });
    expect(await ledger.treeSize("acme")).toBe(1);
  });

  it("refuses a retry with other personal values, writing nothing: they are not silently dropped", async () => {
    const { ledger } = await newLedger();
    await ledger.append("acme", [event(0)], { appendedBy: INGEST });
    const [other] = await ledger.append("acme", [event(0, "Ada King")], { appendedBy: INGEST });
    expect(other).toEqual({ status: "rejected", id: "evt_0", problems: [ID_TAKEN_PROBLEM] });
    const [moreIp] = await ledger.append("acme", [event(0, "Ada Lovelace", { context: { ip: "198.51.100.1" } })], {
      appendedBy: INGEST,
    });
    expect(moreIp?.status).toBe("rejected");
    expect(await ledger.treeSize("acme")).toBe(1);
    expect(await ledger.disclosures("acme", 0)).toContainEqual(expect.objectContaining({ value: "Ada Lovelace" }));
  });

  it("gives another key the same refusal for the same content as for a guess: no receipt, no oracle", async () => {
    const { ledger } = await newLedger();
    await ledger.append("acme", [event(0)], { appendedBy: INGEST });
    const [exact, guess] = await ledger.append("acme", [event(0), event(0, "Someone")], { appendedBy: OTHER });
    expect(exact).toEqual({ status: "rejected", id: "evt_0", problems: [ID_TAKEN_PROBLEM] });
    expect(guess).toEqual(exact);
  });

  it("in one batch too: the second of two sends of an id with other content is refused", async () => {
    const { ledger } = await newLedger();
    const [a, b] = await ledger.append("acme", [event(5), event(5, "Other")], { appendedBy: INGEST });
    expect(a?.status).toBe("created");
    expect(b).toEqual({ status: "rejected", id: "evt_5", problems: [ID_TAKEN_PROBLEM] });
  });

  it("stores a keyed digest that recomputes from the leaf, the disclosures and the tenant's key", async () => {
    const { ledger } = await newLedger();
    await ledger.append("acme", [event(0)], { appendedBy: INGEST });
    const [entry] = await ledger.readEntries("acme", 0, 1);
    expect(entry?.contentDigest).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    const recomputed = recomputeContentDigest(
      nodeHasher,
      await ledger.digestKey("acme"),
      entry?.leafData as Uint8Array,
      await ledger.disclosures("acme", 0),
    );
    expect(recomputed).toEqual({ digest: entry?.contentDigest });
  });
});

describe("the tenant's digest key", () => {
  it("is 32 random bytes in keys/<tenant>/digest-key, mode 0600, kept across restarts", async () => {
    const { ledger, dataDir } = await newLedger();
    const [first] = await ledger.append("acme", [event(0)], { appendedBy: INGEST });
    const path = join(dataDir, "keys", "acme", "digest-key");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(path, "utf8").trim(), "base64")).toHaveLength(32);
    await ledger.close();
    open.splice(open.indexOf(ledger), 1);
    const reopened = (await newLedger(dataDir)).ledger;
    const [again] = await reopened.append("acme", [event(0)], { appendedBy: INGEST });
    expect(again).toEqual({ ...first, status: "duplicate" });
  });

  it("differs between tenants", async () => {
    const { ledger } = await newLedger();
    await ledger.createTenant("globex");
    expect(await ledger.digestKey("globex")).not.toEqual(await ledger.digestKey("acme"));
  });

  it("is never replaced behind keyed entries: its loss is DIGEST_KEY_MISSING, not new keys and false conflicts", async () => {
    const { ledger, dataDir } = await newLedger();
    await ledger.append("acme", [event(0)], { appendedBy: INGEST });
    await ledger.close();
    open.splice(open.indexOf(ledger), 1);
    rmSync(join(dataDir, "keys", "acme", "digest-key"));
    const reopened = (await openDataDir({ dataDir, checkpointIntervalMs: 0 })).ledger;
    open.push(reopened);
    const err = await reopened.append("acme", [event(1)]).catch((e: unknown) => e);
    expect(hasErrorCode(err, "DIGEST_KEY_MISSING")).toBe(true);
  });
});

describe("appended_by", () => {
  it("names the appender given, and the library when none is", async () => {
    const { ledger } = await newLedger();
    await ledger.append("acme", [event(0)], { appendedBy: INGEST });
    await ledger.append("acme", [event(1)]);
    expect((await leafOf(ledger, 0)).appended_by).toEqual(INGEST);
    expect((await leafOf(ledger, 1)).appended_by).toEqual({ type: "service", id: "library" });
    expect((await leafOf(ledger, 1)).schema_version).toBe(2);
  });

  it("is stamped the same by the seal workers", async () => {
    const { ledger } = await newLedger();
    const many = Array.from({ length: SEAL_INLINE_BELOW_EVENTS + 4 }, (_, i) => event(100 + i));
    const results = await ledger.append("acme", many, { appendedBy: OTHER });
    expect(results.every((r) => r.status === "created")).toBe(true);
    expect((await leafOf(ledger, many.length - 1)).appended_by).toEqual(OTHER);
  });
});

describe("occurred_at bounds", () => {
  it("apply inline and in the seal workers, as the ledger was opened with them", async () => {
    const bounds = { minMs: Date.UTC(2026, 0, 1), maxAheadMs: 60_000 };
    const { ledger } = await newLedger(undefined, { occurredAtBounds: bounds });
    const past = event(0, "A", { occurred_at: "2025-12-31T23:59:59Z" });
    const [one] = await ledger.append("acme", [past]);
    expect(one).toMatchObject({ status: "rejected", problems: [{ pointer: "/occurred_at" }] });
    const many = Array.from({ length: SEAL_INLINE_BELOW_EVENTS + 4 }, (_, i) => event(10 + i));
    many.push(event(99, "A", { occurred_at: "2999-01-01T00:00:00Z" }));
    const results = await ledger.append("acme", many);
    expect(results.at(-1)).toMatchObject({ status: "rejected", problems: [{ pointer: "/occurred_at" }] });
    expect(results.slice(0, -1).every((r) => r.status === "created")).toBe(true);
  });

  it("by default refuse years 0000 and 2999", async () => {
    const { ledger } = await newLedger();
    const results = await ledger.append("acme", [
      event(0, "A", { occurred_at: "0000-01-01T00:00:00Z" }),
      event(1, "A", { occurred_at: "2999-01-01T00:00:00Z" }),
    ]);
    expect(results.map((r) => r.status === "rejected" && r.problems.map((p) => p.pointer))).toEqual([
      ["/occurred_at"],
      ["/occurred_at"],
    ]);
  });
});
