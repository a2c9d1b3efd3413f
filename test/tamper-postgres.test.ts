// The tamper suite on PostgreSQL: a DBA edits the sealed tables with psql
// behind the service's back (the append-only triggers sidestepped with
// session_replication_role = replica) and `trailproof verify --database`, run
// as a real process, fails naming each kind of edit at the right index.
import type { Divergence } from "@trailproof/core";
import { openDatabase, Pruner } from "@trailproof/ledger";
import { afterEach, describe, expect, it } from "vitest";
import { copySealedLog, type PostgresSealedLog, tamperAsOwner } from "./postgres-sealed-log.js";
import { trailproof } from "./run-cli.js";

interface CliReport {
  tenant: string;
  treeSize: number;
  checkpoints: number;
  ok: boolean;
  divergences: Divergence[];
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

async function sealedLog(): Promise<PostgresSealedLog> {
  const log = await copySealedLog();
  cleanup.push(log.drop);
  return log;
}

/** `trailproof verify --database` on the log: its exit code and its one report. */
async function verify(log: PostgresSealedLog): Promise<{ code: number; report: CliReport }> {
  const out = await trailproof(["verify", "--database", log.appUrl, "--master-key-file", log.masterKeyFile, "--json"]);
  const reports = JSON.parse(out.stdout) as CliReport[];
  expect(reports).toHaveLength(1);
  return { code: out.code, report: reports[0] as CliReport };
}

/** Verification failed (exit 1, not a usage error) and its first finding is `kind` at `index`. */
async function expectCaught(log: PostgresSealedLog, kind: string, index: number | null): Promise<CliReport> {
  const { code, report } = await verify(log);
  expect(code).toBe(1);
  expect(report.ok).toBe(false);
  expect(report.divergences[0]).toMatchObject({ kind, index });
  return report;
}

// Each test copies a database and starts the CLI; the first also builds the log.
describe("tamper detection on a real PostgreSQL database, by trailproof verify --database", { timeout: 90_000 }, () => {
  it("accepts an untouched log (exit 0), and changes nothing by verifying", async () => {
    const log = await sealedLog();
    const { code, report } = await verify(log);
    expect(report).toMatchObject({ tenant: "acme", ok: true, treeSize: log.treeSize, divergences: [] });
    expect(report.checkpoints).toBe(log.checkpoints);
    expect(code).toBe(0);
  });

  it("names an edited leaf by its index", async () => {
    const log = await sealedLog();
    await tamperAsOwner(log, async (tx, t) => {
      const n = await tx`UPDATE entries
        SET leaf_data = convert_to(replace(convert_from(leaf_data, 'UTF8'), '"occurred_at":"2026', '"occurred_at":"2025'), 'UTF8')
        WHERE tenant_id = ${t} AND idx = 7`;
      expect(n.count).toBe(1);
    });
    await expectCaught(log, "LEAF_MISMATCH", 7);
  });

  it("names a deleted entry", async () => {
    const log = await sealedLog();
    await tamperAsOwner(log, (tx, t) => tx`DELETE FROM entries WHERE tenant_id = ${t} AND idx = 5`);
    const report = await expectCaught(log, "ENTRY_MISSING", 5);
    expect(report.divergences[0]?.message).toBe("entries 5..5 are missing");
  });

  it("names a tail deleted with its head wound back, below a signed checkpoint", async () => {
    const log = await sealedLog();
    await tamperAsOwner(log, async (tx, t) => {
      await tx`DELETE FROM entries WHERE tenant_id = ${t} AND idx >= 30`;
      await tx`DELETE FROM disclosures WHERE tenant_id = ${t} AND idx >= 30`;
      await tx`UPDATE log_heads SET size = 30 WHERE tenant_id = ${t}`;
    });
    const report = await expectCaught(log, "LOG_TRUNCATED", 30);
    expect(report.treeSize).toBe(30);
  });

  it("names two swapped entries", async () => {
    const log = await sealedLog();
    await tamperAsOwner(log, async (tx, t) => {
      await tx`UPDATE entries SET idx = -1 WHERE tenant_id = ${t} AND idx = 12`;
      await tx`UPDATE entries SET idx = 12 WHERE tenant_id = ${t} AND idx = 13`;
      await tx`UPDATE entries SET idx = 13 WHERE tenant_id = ${t} AND idx = -1`;
    });
    const { code, report } = await verify(log);
    expect(code).toBe(1);
    // Named by time going backwards when the two were received in different
    // milliseconds, by the stored node above both otherwise.
    expect(report.divergences[0]?.index).toBe(12);
    expect(["ENTRY_OUT_OF_ORDER", "NODE_MISMATCH"]).toContain(report.divergences[0]?.kind);
  });

  it("names an edited tree node by the first entry it covers", async () => {
    const log = await sealedLog();
    await tamperAsOwner(log, async (tx, t) => {
      // The level-1 node above entries 6 and 7.
      const n = await tx`UPDATE tree_nodes SET hash = sha256(hash) WHERE tenant_id = ${t} AND level = 1 AND idx = 3`;
      expect(n.count).toBe(1);
    });
    await expectCaught(log, "NODE_MISMATCH", 6);
  });

  it("rejects a checkpoint whose note was edited", async () => {
    const log = await sealedLog();
    await tamperAsOwner(log, async (tx, t) => {
      const n =
        await tx`UPDATE checkpoints SET note = replace(note, ${`\n${log.treeSize}\n`}, ${`\n${log.treeSize - 1}\n`})
        WHERE tenant_id = ${t} AND tree_size = ${log.treeSize}`;
      expect(n.count).toBe(1);
    });
    const report = await expectCaught(log, "CHECKPOINT_INVALID", null);
    expect(report.divergences[0]?.message).toContain("NOTE_SIGNATURE_INVALID");
  });

  // GET /v1/log/checkpoints serves the root_hash column beside the note.
  it("rejects a checkpoint whose stored root was edited", async () => {
    const log = await sealedLog();
    await tamperAsOwner(log, async (tx, t) => {
      const n = await tx`UPDATE checkpoints SET root_hash = sha256(root_hash)
        WHERE tenant_id = ${t} AND tree_size = ${log.treeSize}`;
      expect(n.count).toBe(1);
    });
    const { code, report } = await verify(log);
    expect(report.ok).toBe(false);
    expect(code).toBe(1);
    expect(report.divergences.map((d) => d.kind)).toEqual(["LOOKUP_MISMATCH"]);
  });

  it("names a search row whose actor was edited (it would hide the event from search)", async () => {
    const log = await sealedLog();
    await tamperAsOwner(log, async (tx, t) => {
      const n = await tx`UPDATE search_rows SET actor_id = 'usr_nobody' WHERE tenant_id = ${t} AND idx = 11`;
      expect(n.count).toBe(1);
    });
    const report = await expectCaught(log, "PROJECTION_MISMATCH", 11);
    expect(report.divergences[0]?.message).toContain("actor_id");
  });

  it("names a personal value deleted behind the service's back", async () => {
    const log = await sealedLog();
    let edited = -1;
    await tamperAsOwner(log, async (tx, t) => {
      const [first] = await tx<{ idx: number; pointer: string }[]>`SELECT idx, pointer FROM disclosures
        WHERE tenant_id = ${t} ORDER BY idx, pointer LIMIT 1`;
      if (!first) throw new Error("the sample log holds no personal values");
      edited = first.idx;
      await tx`DELETE FROM disclosures
        WHERE tenant_id = ${t} AND idx = ${first.idx} AND pointer = ${first.pointer}`;
    });
    const report = await expectCaught(log, "DISCLOSURE_MISMATCH", edited);
    expect(report.divergences[0]?.message).toContain("is missing beside its commitment");
  });

  it("names a personal value erased outside erasure (a tombstone no erasure accounts for)", async () => {
    const log = await sealedLog();
    let edited = -1;
    await tamperAsOwner(log, async (tx, t) => {
      const [first] = await tx<{ idx: number; pointer: string }[]>`SELECT idx, pointer FROM disclosures
        WHERE tenant_id = ${t} ORDER BY idx, pointer LIMIT 1`;
      if (!first) throw new Error("the sample log holds no personal values");
      edited = first.idx;
      await tx`UPDATE disclosures SET sealed = NULL
        WHERE tenant_id = ${t} AND idx = ${first.idx} AND pointer = ${first.pointer}`;
    });
    const report = await expectCaught(log, "DISCLOSURE_MISMATCH", edited);
    expect(report.divergences[0]?.message).toContain("disclosure removed outside erasure");
  });

  it("accepts a log pruned by retention (exit 0), reporting the pruned range apart", async () => {
    const log = await sealedLog();
    const data = await openDatabase({
      database: log.appUrl,
      masterKeyFile: log.masterKeyFile,
      checkpointIntervalMs: 0,
      poolSize: 4,
    });
    try {
      const { tenantId } = await data.ledger.tenantRecord(log.tenant);
      await data.retention.setRetentionPolicy(tenantId, { defaultKeepDays: 1, rules: [] }, "test", "x");
      await data.settled();
      const run = await new Pruner(data.ledger, data.retention).run(log.tenant, {
        nowMs: Date.now() + 10 * 86_400_000,
        maxEntries: 12,
      });
      expect(run).toMatchObject({ entries: 12, ranges: [[0, 12]] });
      await data.ledger.publishCheckpoints();
      await data.settled();
    } finally {
      await data.ledger.close();
    }
    const { code, report } = await verify(log);
    expect(report).toMatchObject({ ok: true, divergences: [] });
    expect((report as unknown as { pruned: unknown }).pruned).toEqual({
      entries: 12,
      ranges: [{ start: 0, end: 12, pruneIndex: log.treeSize }],
    });
    expect(code).toBe(0);
  });

  it("names a body removed outside pruning", async () => {
    const log = await sealedLog();
    await tamperAsOwner(log, async (tx, t) => {
      const n = await tx`UPDATE entries SET leaf_data = ''::bytea WHERE tenant_id = ${t} AND idx = 7`;
      expect(n.count).toBe(1);
    });
    const report = await expectCaught(log, "BODY_REMOVED", 7);
    expect(report.divergences[0]?.message).toContain("removed outside pruning");
  });

  it("names a prune record forged to cover removed bodies", async () => {
    const log = await sealedLog();
    await tamperAsOwner(log, async (tx, t) => {
      await tx`INSERT INTO pruned_ranges (tenant_id, start_idx, end_idx, prune_idx) VALUES (${t}, 3, 5, 10)`;
      await tx`UPDATE entries SET leaf_data = ''::bytea WHERE tenant_id = ${t} AND idx >= 3 AND idx < 5`;
      await tx`DELETE FROM disclosures WHERE tenant_id = ${t} AND idx >= 3 AND idx < 5`;
    });
    const report = await expectCaught(log, "PRUNE_RECORD_FORGED", 3);
    expect(report.divergences[0]?.message).toContain("prune record forged");
  });
});
