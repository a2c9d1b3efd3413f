// Retention over the API against a real server and SQLite data directory:
// rules change only under dual control; a legal hold keeps what it covers;
// a prune run removes bodies of entries past retention and records it; a
// pruned event answers 410 with a leaf hash and proof that verify; old
// checkpoints stay consistent; `trailproof verify --data` passes and
// reports the pruned range. Age comes from the retention clock the app is
// given (moved forward), never from sleeping.
import { fromBase64, parseVerifierKey, verifyCheckpoint, verifyConsistency, verifyInclusion } from "@trailproof/core";
import { nodeHasher } from "@trailproof/ledger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trailproof } from "../run-cli.js";
import { type ApiFixture, buildApiFixture, problemOf } from "./api-fixture.js";

const DAY_MS = 86_400_000;
let clock = Date.now();
let f: ApiFixture;
beforeAll(async () => {
  f = await buildApiFixture({ acmeEvents: 24, retentionNow: () => clock });
});
afterAll(async () => {
  await f?.close();
});

const decide = (id: string, key: string) => f.request("POST", `/v1/approvals/${id}/approve`, key);

async function otherAdmin(): Promise<string> {
  const res = await f.request("POST", "/v1/tenants/acme/keys", f.operator, { name: "second approver" });
  expect(res.statusCode).toBe(201);
  return res.json().key as string;
}

async function verifierOf(key: string) {
  const res = (await f.request("GET", "/v1/log/key", key)).json();
  return {
    origin: (await f.data.ledger.tenantRecord("acme")).origin,
    verifier: parseVerifierKey(nodeHasher, res.verifier_key),
  };
}

const POLICY = {
  default_keep_days: 30,
  rules: [
    { match: "category", value: "configuration", keep_days: 3650 },
    { match: "tag", value: "app:crm", keep_days: 10 },
  ],
  reason: "records schedule 2026",
};

describe("retention", () => {
  let bob: string;
  let holdId: string;
  const checkpointBefore = { size: 0, note: "" };

  it("shows the rules to admins and auditors only; keeps everything forever until rules are approved", async () => {
    const read = await f.request("GET", "/v1/tenants/acme/retention", f.acme.auditor);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ tenant: "acme", default_keep_days: null, rules: [] });
    expect((await f.request("GET", "/v1/tenants/acme/retention", f.acme.viewer)).statusCode).toBe(403);
    // Another tenant's rules are absent to acme's admin.
    expect((await f.request("GET", "/v1/tenants/globex/retention", f.acme.admin)).statusCode).toBe(404);
  });

  it("refuses bad rules with problem+json, changing nothing", async () => {
    const dup = await f.request("PUT", "/v1/tenants/acme/retention", f.acme.admin, {
      ...POLICY,
      rules: [POLICY.rules[0], POLICY.rules[0]],
    });
    expect(problemOf(dup)).toMatchObject({ status: 400, code: "RETENTION_INVALID" });
    for (const bad of [
      { default_keep_days: 0 },
      { default_keep_days: null },
      { rules: [{ match: "colour", value: "x", keep_days: 1 }] },
    ]) {
      const res = await f.request("PUT", "/v1/tenants/acme/retention", f.acme.admin, { ...POLICY, ...bad });
      expect(problemOf(res), JSON.stringify(bad)).toMatchObject({ status: 400, code: "REQUEST_INVALID" });
    }
    expect((await f.request("GET", "/v1/approvals?status=pending", f.acme.admin)).json().approvals).toEqual([]);
  });

  it("changes the rules only once a different admin approves, and logs retention.update with before and after", async () => {
    const asked = await f.request("PUT", "/v1/tenants/acme/retention", f.acme.admin, POLICY);
    expect(asked.statusCode).toBe(202);
    const approval = asked.json().approval;
    expect(approval).toMatchObject({ status: "pending", action: "retention.update" });
    expect((await f.request("GET", "/v1/tenants/acme/retention", f.acme.admin)).json().rules).toEqual([]);
    expect((await decide(approval.id, f.acme.admin)).json()).toMatchObject({ code: "APPROVAL_OWN_REQUEST" });
    bob = await otherAdmin();
    const approved = await decide(approval.id, bob);
    expect(approved.statusCode).toBe(200);
    const now = (await f.request("GET", "/v1/tenants/acme/retention", f.acme.auditor)).json();
    expect(now).toMatchObject({
      default_keep_days: 30,
      rules: POLICY.rules.map(({ match, value, keep_days }) => ({ match, value, keep_days })),
    });
    await f.settled();
    const events = (await f.request("GET", "/v1/events?action=retention.update", f.acme.auditor)).json().events;
    expect(events).toHaveLength(1);
    expect(events[0].event.change.before).toEqual({ default_keep_days: null, rules: [] });
    expect(events[0].event.change.after.default_keep_days).toBe(30);
  });

  it("places a legal hold at once, logged; refuses a bad one", async () => {
    const bad = await f.request("POST", "/v1/tenants/acme/legal-holds", f.acme.admin, {
      scope: { type: "time_range", from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z" },
      reason: "x",
    });
    expect(problemOf(bad)).toMatchObject({ status: 400, code: "RETENTION_INVALID" });
    const leap = await f.request("POST", "/v1/tenants/acme/legal-holds", f.acme.admin, {
      scope: { type: "actor", actor_id: "usr_ada" },
      reason: "x",
      expires_at: "2026-12-31T23:59:60Z",
    });
    expect([400]).toContain(leap.statusCode);
    expect(
      (
        await f.request("POST", "/v1/tenants/acme/legal-holds", f.acme.auditor, {
          scope: { type: "actor", actor_id: "usr_ada" },
          reason: "litigation",
        })
      ).statusCode,
    ).toBe(403);
    const placed = await f.request("POST", "/v1/tenants/acme/legal-holds", f.acme.admin, {
      scope: { type: "actor", actor_id: "usr_ada" },
      reason: "litigation 2026-14",
    });
    expect(placed.statusCode).toBe(201);
    holdId = placed.json().legal_hold.id;
    expect(placed.json().legal_hold).toMatchObject({
      active: true,
      lifted_at: null,
      scope: { type: "actor", actor_id: "usr_ada" },
    });
    // An expired hold is listed but protects nothing.
    await f.request("POST", "/v1/tenants/acme/legal-holds", f.acme.admin, {
      scope: { type: "actor", actor_id: "usr_grace" },
      reason: "old matter",
      expires_at: new Date(Date.now() + DAY_MS).toISOString(),
    });
    const list = (await f.request("GET", "/v1/tenants/acme/legal-holds", f.acme.auditor)).json().legal_holds;
    expect(list).toHaveLength(2);
    await f.settled();
    expect((await f.request("GET", "/v1/events?action=legal_hold.place", f.acme.auditor)).json().events).toHaveLength(
      2,
    );
  });

  it("prunes entries past retention, keeps held and configuration entries, and logs retention.prune", async () => {
    await f.data.ledger.publishCheckpoints();
    const before = await f.data.ledger.latestCheckpoint("acme");
    checkpointBefore.size = before.treeSize;
    checkpointBefore.note = before.note;
    expect((await f.request("POST", "/v1/tenants/acme/retention/prune", f.acme.auditor)).statusCode).toBe(403);
    // Nothing is 30 days old yet.
    const early = await f.request("POST", "/v1/tenants/acme/retention/prune", f.acme.admin);
    expect(early.json().prune).toMatchObject({ prune_index: null, entries: 0 });

    clock = Date.now() + 100 * DAY_MS;
    const res = await f.request("POST", "/v1/tenants/acme/retention/prune", f.operator);
    expect(res.statusCode).toBe(200);
    const prune = res.json().prune;
    expect(prune.prune_index).toBeGreaterThan(0);
    expect(prune.entries).toBeGreaterThan(0);
    expect(prune.kept_by_hold).toBeGreaterThan(0);
    const pruned = new Set<number>();
    for (const [a, b] of prune.ranges as [number, number][]) for (let i = a; i < b; i++) pruned.add(i);
    expect(pruned.size).toBe(prune.entries);

    const entries = await f.data.ledger.readEntries("acme", 0, prune.prune_index + 1);
    const event = (i: number) => JSON.parse(Buffer.from(entries[i]?.leafData ?? []).toString() || "null");
    for (const e of entries) {
      if (pruned.has(e.index)) {
        expect(e.leafData.length).toBe(0);
        continue;
      }
      const ev = event(e.index);
      // Kept: held (usr_ada), configuration (kept 10 years), or the prune record itself.
      expect(
        ev.actor.id === "usr_ada" || ev.category === "configuration" || ev.action === "retention.prune",
        `entry ${e.index} (${ev.action} by ${ev.actor.id}) was due`,
      ).toBe(true);
    }
    const record = event(prune.prune_index);
    expect(record.action).toBe("retention.prune");
    expect(record.metadata).toMatchObject({
      ranges: prune.ranges,
      entries: prune.entries,
      kept_by_hold: prune.kept_by_hold,
    });

    // Search and lists skip pruned entries.
    await f.settled();
    const listed = (await f.request("GET", "/v1/events?limit=500", f.acme.auditor)).json().events as {
      index: number;
    }[];
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.filter((i) => pruned.has(i.index))).toEqual([]);
  });

  it("answers a pruned event with 410, its leaf hash and an inclusion proof that verifies", async () => {
    await f.data.ledger.publishCheckpoints();
    const { origin, verifier } = await verifierOf(f.acme.auditor);
    const entries = await f.data.ledger.readEntries("acme", 0, 64);
    const gone = entries.find((e) => e.leafData.length === 0);
    expect(gone).toBeDefined();
    const res = await f.request("GET", `/v1/events/${gone?.eventId}`, f.acme.viewer);
    const body = problemOf(res) as unknown as {
      status: number;
      code: string;
      pruned: {
        index: number;
        leaf_hash: string;
        prune_index: number;
        proof: { checkpoint: string; inclusion: { index: number; size: number; proof: string[] } };
      };
    };
    expect(body).toMatchObject({ status: 410, code: "EVENT_PRUNED" });
    expect(body.pruned.index).toBe(gone?.index);
    expect(body.pruned.prune_index).toBeGreaterThan(body.pruned.index);
    const checkpoint = verifyCheckpoint(body.pruned.proof.checkpoint, verifier, origin);
    verifyInclusion(
      nodeHasher,
      body.pruned.index,
      body.pruned.proof.inclusion.size,
      fromBase64(body.pruned.leaf_hash),
      body.pruned.proof.inclusion.proof.map(fromBase64),
      checkpoint.rootHash,
    );
    // A kept event still reads in full.
    const kept = entries.find((e) => e.leafData.length > 0);
    expect((await f.request("GET", `/v1/events/${kept?.eventId}`, f.acme.viewer)).statusCode).toBe(200);
  });

  it("keeps the checkpoint signed before pruning consistent with the log after it", async () => {
    const latest = await f.data.ledger.latestCheckpoint("acme");
    const { origin, verifier } = await verifierOf(f.acme.auditor);
    const old = verifyCheckpoint(checkpointBefore.note, verifier, origin);
    const now = verifyCheckpoint(latest.note, verifier, origin);
    const res = await f.request(
      "GET",
      `/v1/log/proof/consistency?from=${checkpointBefore.size}&to=${latest.treeSize}`,
      f.acme.auditor,
    );
    expect(res.statusCode).toBe(200);
    verifyConsistency(
      nodeHasher,
      old.treeSize,
      now.treeSize,
      res.json().proof.map(fromBase64),
      old.rootHash,
      now.rootHash,
    );
  });

  it("lifts a hold only once a different admin approves, after which its entries are pruned too", async () => {
    const asked = await f.request("POST", `/v1/tenants/acme/legal-holds/${holdId}/lift`, f.acme.admin, {
      reason: "settled",
    });
    expect(asked.statusCode).toBe(202);
    const stillHeld = (await f.request("GET", "/v1/tenants/acme/legal-holds", f.acme.admin)).json().legal_holds;
    expect(stillHeld.find((h: { id: string }) => h.id === holdId).active).toBe(true);
    expect((await decide(asked.json().approval.id, bob)).statusCode).toBe(200);
    const lifted = (await f.request("GET", "/v1/tenants/acme/legal-holds", f.acme.admin)).json().legal_holds;
    expect(lifted.find((h: { id: string }) => h.id === holdId)).toMatchObject({
      active: false,
      lifted_by: expect.any(String),
    });
    const again = await f.request("POST", "/v1/tenants/acme/retention/prune", f.acme.admin);
    expect(again.json().prune.entries).toBeGreaterThan(0);
    expect(again.json().prune.kept_by_hold).toBe(0);
    const missing = await f.request("POST", "/v1/tenants/acme/legal-holds/hold_nope/lift", f.acme.admin, {
      reason: "x",
    });
    expect(problemOf(missing)).toMatchObject({ status: 404, code: "LEGAL_HOLD_NOT_FOUND" });

    // A lift of the lifted hold is refused when approved, and the refusal records no lift.
    const twice = await f.request("POST", `/v1/tenants/acme/legal-holds/${holdId}/lift`, f.acme.admin, {
      reason: "again",
    });
    const sizeBefore = await f.data.ledger.treeSize("acme");
    const refused = twice.statusCode === 202 ? await decide(twice.json().approval.id, bob) : twice;
    expect(problemOf(refused)).toMatchObject({ status: 409, code: "LEGAL_HOLD_NOT_ACTIVE" });
    expect(await f.data.ledger.treeSize("acme")).toBe(sizeBefore);
  });

  it("verifies with `trailproof verify --data`, the pruned ranges reported apart from divergences", async () => {
    await f.data.ledger.publishCheckpoints();
    await f.settled();
    const ranges = await f.data.ledger.store.readPrunedRanges((await f.data.ledger.tenantRecord("acme")).tenantId);
    expect(ranges.length).toBeGreaterThan(0);
    const out = await trailproof(["verify", "--data", f.dataDir, "--tenant", "acme"]);
    expect(out.stdout).toMatch(/^OK acme/m);
    expect(out.code).toBe(0);
    const first = ranges[0] as { start: number; end: number; pruneIndex: number };
    expect(out.stdout).toContain(`[${first.start}, ${first.end}) by entry ${first.pruneIndex}`);

    // The service's own verification job reports them too, apart from divergences.
    const started = await f.request("POST", "/v1/log/verify", f.acme.auditor);
    expect(started.statusCode).toBe(202);
    let job = started.json();
    for (let i = 0; i < 200 && job.status === "running"; i++) {
      await new Promise((r) => setImmediate(r));
      job = (await f.request("GET", job.location, f.acme.auditor)).json();
    }
    expect(job.report).toMatchObject({ ok: true, divergences: [] });
    expect(job.report.pruned.ranges[0]).toEqual({ start: first.start, end: first.end, prune_index: first.pruneIndex });
  });
});
