// Reading back what was appended: searches and pages, redaction by role,
// proofs checked by the core verifier against the published key, entries that
// hash to the proven leaves, traces, histories, stats and a verifiable export.
import {
  bundleReport,
  fromBase64,
  hashLeaf,
  parseVerifierKey,
  redactEvent,
  toBase64,
  utf8,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from "@trailproof/core";
import { nodeHasher } from "@trailproof/ledger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiFixture, buildApiFixture, validEvent } from "./api-fixture.js";

interface Sent {
  id: string;
  action: string;
  occurred_at: string;
  actor: { id: string; type: string; name?: string };
  context?: { ip?: string };
  tags?: string[];
  message?: string;
}
interface Item {
  index: number;
  redacted: boolean;
  event: Record<string, unknown> & { id: string };
}

let f: ApiFixture;
let sent: Sent[];
const WINDOW = "from=2026-11-02T00:00:00Z&to=2026-11-03T00:00:00Z";

beforeAll(async () => {
  f = await buildApiFixture();
  sent = f.sent.acme as unknown as Sent[];
});
afterAll(async () => {
  await f?.close();
});

const get = (url: string, key = f.acme.auditor) => f.request("GET", url, key);
const ids = (items: Item[]) => items.map((i) => i.event.id);

async function verifierOf(key: string) {
  const res = await get("/v1/log/key", key);
  expect(res.statusCode).toBe(200);
  const { origin, verifier_key: verifierKey } = res.json() as { origin: string; verifier_key: string };
  return { origin, verifierKey, verifier: parseVerifierKey(nodeHasher, verifierKey) };
}

describe("search", () => {
  it.each([
    { query: "action=record.update", want: (e: Sent) => e.action === "record.update" },
    { query: "actor_id=usr_ada", want: (e: Sent) => e.actor.id === "usr_ada" },
    { query: "tag=app:crm", want: (e: Sent) => e.tags?.includes("app:crm") === true },
    { query: "action=app.*", want: (e: Sent) => e.action.startsWith("app.") },
    { query: "text=grace%20layout", want: (e: Sent) => e.message?.startsWith("Grace edited") === true },
    {
      query: "q=action:record.*%20actor_type:automation",
      want: (e: Sent) => e.action === "record.update" && e.actor.type === "automation",
    },
    { query: "q=run:acme_run_chain", want: (e: Sent) => e.id === "acme_chain_a" || e.id === "acme_chain_b" },
    {
      query: "q=actor:usr_grace%20%22page%20layout%22",
      want: (e: Sent) => e.actor.id === "usr_grace" && e.action === "app.page.update",
    },
    { query: "q=-action:record.*", want: (e: Sent) => !e.action.startsWith("record.") },
    {
      query: "q=(actor:usr_ada%20OR%20actor:usr_grace)%20-action:app.*",
      want: (e: Sent) => (e.actor.id === "usr_ada" || e.actor.id === "usr_grace") && !e.action.startsWith("app."),
    },
    { query: "q=NOT%20tag:app:crm", want: (e: Sent) => e.tags?.includes("app:crm") !== true },
    {
      query: "actor_id=usr_grace&q=-(%22page%20layout%22)",
      want: (e: Sent) => e.actor.id === "usr_grace" && !/page.*layout|layout.*page/i.test(e.message ?? ""),
    },
  ])("$query", async ({ query, want }) => {
    const res = await get(`/v1/events?${query}&${WINDOW}&limit=500&order=asc`);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const expected = sent.filter(want).map((e) => e.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(res.json().events)).toEqual(expected);
  });

  it("hides the meta-audit's own records with -action:audit.*, and shows them without it", async () => {
    const all = (await get("/v1/events?limit=500")).json().events as Item[];
    expect(all.some((i) => String(i.event.action).startsWith("audit."))).toBe(true);
    const res = await get(`/v1/events?limit=500&q=${encodeURIComponent("-action:audit.*")}`);
    expect(res.statusCode).toBe(200);
    const hidden = res.json().events as Item[];
    expect(hidden.length).toBeGreaterThan(0);
    expect(hidden.some((i) => String(i.event.action).startsWith("audit."))).toBe(false);
    const notAudit = all.filter((i) => !String(i.event.action).startsWith("audit."));
    expect(ids(hidden)).toEqual(ids(notAudit));
  });

  it("answers a malformed condition with a problem naming the column", async () => {
    const res = await get(`/v1/events?q=${encodeURIComponent("risk:high OR (kind:read")}`);
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      code: "SEARCH_QUERY_INVALID",
      problems: [{ pointer: "/q", message: "unmatched ( at column 14: close it with )" }],
    });
  });

  it.each(["asc", "desc"] as const)("reads three pages %s with no duplicates or gaps", async (order) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    const sizes: number[] = [];
    do {
      const url: string = `/v1/events?${WINDOW}&limit=10&order=${order}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const res = await get(url, f.acme.viewer);
      expect(res.statusCode).toBe(200);
      const page = res.json() as { events: Item[]; next_cursor: string | null };
      sizes.push(page.events.length);
      seen.push(...ids(page.events));
      cursor = page.next_cursor;
    } while (cursor !== null && sizes.length < 5);
    expect(sizes).toEqual([10, 10, 8]);
    const inOrder = sent.map((e) => e.id);
    expect(seen).toEqual(order === "asc" ? inOrder : [...inOrder].reverse());
  });
});

describe("personal fields", () => {
  it("are withheld from a viewer, committed, and revealed to an auditor", async () => {
    const original = sent.find((e) => e.id === "acme_0") as Sent;
    expect(original.actor.name).toEqual(expect.any(String));
    const viewed = (await get("/v1/events/acme_0", f.acme.viewer)).json() as Item & { proof?: unknown };
    expect(viewed.redacted).toBe(true);
    expect(viewed.proof).toBeUndefined();
    const ev = viewed.event as unknown as { actor: object; context: object; privacy: unknown };
    expect(ev.actor).not.toHaveProperty("name");
    expect(ev.context).not.toHaveProperty("ip");
    expect(JSON.stringify(viewed)).not.toContain(original.actor.name);
    expect(ev.privacy).toMatchObject({
      commitments: { "/actor/name": expect.any(String), "/context/ip": expect.any(String) },
    });

    const audited = (await get("/v1/events/acme_0")).json() as Item;
    expect(audited.redacted).toBe(false);
    expect(audited.event).toMatchObject({
      actor: { name: original.actor.name },
      context: { ip: original.context?.ip },
    });
  });

  it("are withheld in a viewer's search results and revealed in an auditor's", async () => {
    const url = `/v1/events?actor_id=usr_ada&${WINDOW}`;
    const viewer = (await get(url, f.acme.viewer)).json().events as Item[];
    const auditor = (await get(url)).json().events as Item[];
    expect(viewer.length).toBeGreaterThan(0);
    expect(viewer.every((i) => i.redacted && !("name" in (i.event.actor as object)))).toBe(true);
    expect(auditor.every((i) => !i.redacted && (i.event.actor as { name?: string }).name === "Ada Lovelace")).toBe(
      true,
    );
  });
});

describe("proofs", () => {
  it("an auditor's event detail carries an inclusion proof that verifies against the published key", async () => {
    const { origin, verifier } = await verifierOf(f.acme.auditor);
    for (const id of ["acme_0", "acme_13", "acme_chain_c"]) {
      const detail = (await get(`/v1/events/${id}`)).json();
      const checkpoint = verifyCheckpoint(detail.proof.checkpoint, verifier, origin);
      const inc = detail.proof.inclusion;
      expect(inc.index).toBe(detail.index);
      expect(BigInt(inc.size)).toBe(checkpoint.treeSize);
      verifyInclusion(
        nodeHasher,
        inc.index,
        inc.size,
        fromBase64(inc.leaf_hash),
        inc.proof.map(fromBase64),
        checkpoint.rootHash,
      );
      // The same proof must not verify for a neighbouring index.
      expect(() =>
        verifyInclusion(
          nodeHasher,
          inc.index + 1,
          inc.size,
          fromBase64(inc.leaf_hash),
          inc.proof.map(fromBase64),
          checkpoint.rootHash,
        ),
      ).toThrow();
    }
  });

  it("entries are the leaf data: each line hashes to the proven leaf hash and is the committed event", async () => {
    const size = await f.data.ledger.treeSize("acme");
    const lines = (await get(`/v1/log/entries?start=0&end=${size}`)).body.split("\n");
    expect(lines.pop()).toBe("");
    for (const id of ["acme_0", "acme_5", "acme_chain_root"]) {
      const detail = (await get(`/v1/events/${id}`)).json();
      const line = lines[detail.index] as string;
      expect(toBase64(hashLeaf(nodeHasher, utf8(line)))).toBe(detail.proof.inclusion.leaf_hash);
      // The auditor's revealed event, its personal values taken out again, is the line.
      expect(JSON.parse(line)).toEqual(redactEvent(detail.event));
    }
  });

  it("a consistency proof links two signed checkpoints", async () => {
    const { origin, verifier } = await verifierOf(f.acme.auditor);
    const older = verifyCheckpoint((await get("/v1/log/checkpoint")).body, verifier, origin);
    const appended = await f.request("POST", "/v1/events", f.acme.ingest, {
      events: [1, 2, 3].map((i) => validEvent(`consistency_${i}`)),
    });
    expect(appended.statusCode).toBe(200);
    await f.data.ledger.publishCheckpoints();
    const newer = verifyCheckpoint((await get("/v1/log/checkpoint")).body, verifier, origin);
    expect(newer.treeSize).toBeGreaterThan(older.treeSize);

    const res = await get(`/v1/log/proof/consistency?from=${older.treeSize}&to=${newer.treeSize}`);
    expect(res.statusCode).toBe(200);
    const proof = (res.json().proof as string[]).map(fromBase64);
    verifyConsistency(nodeHasher, older.treeSize, newer.treeSize, proof, older.rootHash, newer.rootHash);
    expect(() =>
      verifyConsistency(nodeHasher, older.treeSize, newer.treeSize, proof, newer.rootHash, newer.rootHash),
    ).toThrow();
  });
});

describe("traces, histories and stats", () => {
  it("a nested automation's trace: ancestors, run and descendants end to end", async () => {
    const res = await get("/v1/events/acme_chain_b/trace", f.acme.viewer);
    expect(res.statusCode).toBe(200);
    const trace = res.json();
    expect(trace.event.event.id).toBe("acme_chain_b");
    expect(ids(trace.ancestors)).toEqual(["acme_chain_root", "acme_chain_a"]);
    expect(ids(trace.run)).toEqual(["acme_chain_a", "acme_chain_b"]);
    expect(ids(trace.descendants)).toEqual(["acme_chain_c"]);
    expect(trace).toMatchObject({ unresolved_cause: null, truncated: false });

    const root = (await get("/v1/events/acme_chain_root/trace", f.acme.viewer)).json();
    expect(ids(root.descendants)).toEqual(["acme_chain_a", "acme_chain_b", "acme_chain_c"]);
    expect(ids(root.ancestors)).toEqual([]);
  });

  it("history lists a target's changes and, with at, its state at that moment", async () => {
    const at = "2026-11-02T09:00:01.500Z";
    const res = await get(`/v1/targets/record/rec_chain/history?order=asc&at=${at}`, f.acme.viewer);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(ids(body.events)).toEqual(["acme_chain_root", "acme_chain_a", "acme_chain_b", "acme_chain_c"]);
    expect(body.state_at).toMatchObject({
      at,
      state: { score: 2 },
      as_of: { event_id: "acme_chain_a", occurred_at: "2026-11-02T09:00:01.000Z" },
      applied_events: 2,
      gaps: [],
    });
    const before = (await get("/v1/targets/record/rec_chain/history?at=2026-11-01T00:00:00Z", f.acme.viewer)).json();
    expect(before.state_at).toMatchObject({ state: null, as_of: null, applied_events: 0 });
  });

  it("reading a target's history does not add to it", async () => {
    const url = "/v1/targets/record/rec_chain/history?order=asc";
    const first = ids((await get(url, f.acme.admin)).json().events);
    const second = ids((await get(url, f.acme.viewer)).json().events);
    expect(second).toEqual(first);
    expect(first.every((id) => id.startsWith("acme_chain_"))).toBe(true);
  });

  it("stats with group_by count the events by action", async () => {
    const res = await get(`/v1/stats?${WINDOW}&bucket=hour&group_by=action`, f.acme.viewer);
    expect(res.statusCode).toBe(200);
    const stats = res.json() as {
      total: number;
      groups: string[];
      buckets: { count: number; groups: Record<string, number> }[];
    };
    const expected = new Map<string, number>();
    for (const e of sent) expected.set(e.action, (expected.get(e.action) ?? 0) + 1);
    expect(stats.total).toBe(sent.length);
    expect(stats.buckets.map((b) => b.count)).toEqual([24, 4]);
    const counted = new Map<string, number>();
    for (const b of stats.buckets)
      for (const [k, n] of Object.entries(b.groups)) counted.set(k, (counted.get(k) ?? 0) + n);
    expect(Object.fromEntries(counted)).toEqual(Object.fromEntries(expected));
    expect(stats.groups[0]).toBe([...expected].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0]);
  });
});

describe("ids and export", () => {
  it("an event with the longest allowed id (128 characters) can be read back", async () => {
    const id = `long_${"x".repeat(123)}`;
    const res = await f.request("POST", "/v1/events", f.acme.ingest, validEvent(id));
    expect(res.json().results[0].status).toBe("created");
    const read = await get(`/v1/events/${id}`, f.acme.viewer);
    expect(read.statusCode, read.body.slice(0, 200)).toBe(200);
    expect(read.json().event.id).toBe(id);
  });

  it("the export bundle verifies offline with the pinned key, and not with another", async () => {
    await f.data.ledger.publishCheckpoints();
    const signed = (await f.data.ledger.checkpoints("acme")).length;
    const res = await get("/v1/export");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("application/x-ndjson");
    // The export signed nothing: it ends at the newest checkpoint, before its own meta-audit record.
    const checkpoints = await f.data.ledger.checkpoints("acme");
    expect(checkpoints).toHaveLength(signed);
    const size = (checkpoints.at(-1) as { treeSize: number }).treeSize;
    expect(await f.data.ledger.treeSize("acme")).toBeGreaterThan(size);
    async function* lines() {
      for (const line of res.body.split("\n")) if (line !== "") yield line;
    }
    const { verifierKey } = await verifierOf(f.acme.auditor);
    const report = await bundleReport(nodeHasher, lines(), { verifierKeys: [verifierKey] });
    expect(report).toMatchObject({ ok: true, tenant: "acme", keysPinned: true, divergences: [] });
    expect(report.treeSize).toBe(size);
    expect(report.checkpoints).toBeGreaterThan(0);

    const other = await verifierOf(f.globex.auditor);
    const wrong = await bundleReport(nodeHasher, lines(), { verifierKeys: [other.verifierKey] });
    expect(wrong.ok).toBe(false);
  });
});
