// Reads serve only what the leaves say: with rows edited behind the service's
// back (triggers dropped, as someone with the file would), a lookup never
// answers with another event, a search never returns an event its leaf does
// not match, and a tampered personal value is withheld with a warning,
// never served and never a 500.
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiFixture, buildApiFixture } from "./api-fixture.js";

let f: ApiFixture;
/** The event ids whose lookup rows are swapped. */
let swapped: string[];

function tamper(edit: (db: Database.Database) => void): void {
  const db = new Database(join(f.dataDir, "tenants", "acme.db"));
  for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as {
    name: string;
  }[]) {
    db.exec(`DROP TRIGGER ${name}`);
  }
  db.transaction(() => edit(db))();
  db.close();
}

async function readDivergences(kind: string): Promise<number> {
  const text = (await f.request("GET", "/metrics", f.operator)).body;
  const m = new RegExp(`^trailproof_read_divergences_total\\{kind="${kind}"\\} (\\d+)`, "m").exec(text);
  return Number(m?.[1] ?? 0);
}

beforeAll(async () => {
  f = await buildApiFixture();
  await f.settled();
  tamper((db) => {
    // Event ids of entries 3 and 4 swapped in the lookup column.
    const id = (idx: number) =>
      (db.prepare("SELECT event_id FROM entries WHERE idx = ?").get(idx) as { event_id: string }).event_id;
    const [a, b] = [id(3), id(4)];
    swapped = [a, b];
    db.prepare("UPDATE entries SET event_id = 'swap' WHERE idx = 3").run();
    db.prepare("UPDATE entries SET event_id = ? WHERE idx = 4").run(a);
    db.prepare("UPDATE entries SET event_id = ? WHERE idx = 3").run(b);
    // Entry 5's search row claims another actor.
    db.prepare("UPDATE search_rows SET actor_id = 'usr_mallory' WHERE idx = 5").run();
  });
});

afterAll(() => f.close());

describe("reads over tampered rows", () => {
  it("never answer a lookup with another event", async () => {
    const before = await readDivergences("LOOKUP_MISMATCH");
    for (const id of swapped) {
      const res = await f.request("GET", `/v1/events/${id}`, f.acme.auditor);
      expect(res.statusCode).toBe(404);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    }
    expect(await readDivergences("LOOKUP_MISMATCH")).toBe(before + 2);
    // Untouched entries read as before.
    expect((await f.request("GET", `/v1/events/${f.eventIds.acme[0]}`, f.acme.auditor)).statusCode).toBe(200);
  });

  it("never return an event its leaf does not match", async () => {
    const before = await readDivergences("PROJECTION_MISMATCH");
    const res = await f.request("GET", "/v1/events?actor_id=usr_mallory&limit=50", f.acme.auditor);
    expect(res.statusCode).toBe(200);
    expect((res.json() as { events: unknown[] }).events).toEqual([]);
    expect(await readDivergences("PROJECTION_MISMATCH")).toBe(before + 1);
  });

  it("and verification names every tampered row", async () => {
    const started = await f.request("POST", "/v1/log/verify", f.acme.auditor);
    expect(started.statusCode).toBe(202);
    const location = (started.json() as { location: string }).location;
    let job: { status: string; report?: { ok: boolean; divergences: { kind: string; index: number | null }[] } };
    do {
      await new Promise((r) => setTimeout(r, 50));
      job = (await f.request("GET", location, f.acme.auditor)).json();
    } while (job.status === "running");
    expect(job.status).toBe("done");
    expect(job.report?.ok).toBe(false);
    expect(job.report?.divergences.map((d) => `${d.kind}@${d.index}`)).toEqual([
      "LOOKUP_MISMATCH@3",
      "LOOKUP_MISMATCH@4",
      "PROJECTION_MISMATCH@5",
    ]);
  });
});

describe("a tampered personal value", () => {
  it("is withheld with a warning, never served and never a 500", async () => {
    const id = f.eventIds.acme[0] as string;
    const original = f.sent.acme[0] as { actor: { name: string } };
    const entry = (await f.request("GET", `/v1/events/${id}`, f.acme.auditor)).json() as { index: number };
    tamper((db) => {
      // Another entry's sealed name moved here: it was sealed for that entry (the AAD binds the index), so it does not open.
      const changed = db
        .prepare(
          "UPDATE disclosures SET sealed = (SELECT sealed FROM disclosures WHERE pointer = '/actor/name' AND idx <> ? AND sealed IS NOT NULL LIMIT 1) WHERE idx = ? AND pointer = '/actor/name'",
        )
        .run(entry.index, entry.index).changes;
      expect(changed).toBe(1);
    });
    const res = await f.request("GET", `/v1/events/${id}`, f.acme.auditor);
    expect(res.statusCode).toBe(200);
    const item = res.json() as {
      event: { actor: Record<string, unknown>; context: Record<string, unknown> };
      withheld: unknown[];
      warnings: string[];
    };
    expect(item.withheld).toEqual([{ pointer: "/actor/name", reason: "commitment_mismatch" }]);
    expect(item.warnings[0]).toContain("/actor/name");
    expect(item.event.actor).not.toHaveProperty("name");
    expect(res.body).not.toContain("Mallory");
    expect(res.body).not.toContain(original.actor.name);
    // The other personal value of the event still opens its commitment and is served.
    expect(item.event.context).toHaveProperty("ip");
    // In a search too.
    const page = await f.request(
      "GET",
      `/v1/events?actor_id=${encodeURIComponent("usr_ada")}&limit=500`,
      f.acme.auditor,
    );
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain("Mallory");
  });
});
