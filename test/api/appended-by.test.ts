// Who appended what, over the API (log format v2): every stored leaf names the
// key that sent it, never a value the event claims; an admin's new ingest key
// cannot pass for the platform's; a retry is a duplicate only for the same
// content, personal values included, from the same key, and every other
// repeat of an id gets one refusal that reveals nothing about the recorded
// event; occurred_at outside the plausible range is refused at /occurred_at.
import { fromUtf8, type JsonObject } from "@trailproof/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiFixture, buildApiFixture, validEvent } from "./api-fixture.js";

let f: ApiFixture;

beforeAll(async () => {
  f = await buildApiFixture({ acmeEvents: 4 });
});
afterAll(async () => {
  await f?.close();
});

interface Result {
  id: string | null;
  status: string;
  index?: number;
  leaf_hash?: string;
  received_at?: string;
  errors?: { pointer: string; message: string }[];
}

async function send(key: string, ...events: Record<string, unknown>[]): Promise<Result[]> {
  const res = await f.request("POST", "/v1/events", key, { events });
  expect(res.statusCode).toBe(200);
  return res.json().results as Result[];
}

/** The stored leaf of entry `index`, byte for byte as GET /v1/log/entries serves it. */
async function leafAt(index: number): Promise<JsonObject> {
  const res = await f.request("GET", `/v1/log/entries?start=${index}&end=${index + 1}`, f.acme.auditor);
  expect(res.statusCode).toBe(200);
  return JSON.parse(res.body.trim()) as JsonObject;
}

const person = (name: string) => validEvent("", { actor: { type: "user", id: "usr_ada", name } }).actor;

describe("appended_by", () => {
  it("names the ingest key that sent each event, in the stored leaf and in reads", async () => {
    const [created] = await send(f.acme.ingest, validEvent("by_platform"));
    expect(created?.status).toBe("created");
    const leaf = await leafAt(created?.index as number);
    expect(leaf).toMatchObject({ schema_version: 2, appended_by: { type: "api_key", id: f.keyIds.acme.ingest } });
    const read = await f.request("GET", "/v1/events/by_platform", f.acme.viewer);
    expect(read.json().event.appended_by).toEqual({ type: "api_key", id: f.keyIds.acme.ingest });
    // The key id, never the key: nothing of the secret is in the leaf.
    expect(JSON.stringify(leaf)).not.toContain(f.acme.ingest.slice(-43));
  });

  it("names an ingest key an admin created, not the platform's: nobody hides behind another's key", async () => {
    const made = await f.request("POST", "/v1/keys", f.acme.admin, { role: "ingest", name: "admin's own" });
    expect(made.statusCode).toBe(201);
    const { key, key_id: keyId } = made.json() as { key: string; key_id: string };
    expect(keyId).not.toBe(f.keyIds.acme.ingest);
    const [created] = await send(key, validEvent("by_admin_key", { actor: { type: "system", id: "platform" } }));
    expect((await leafAt(created?.index as number)).appended_by).toEqual({ type: "api_key", id: keyId });
    // The key's creation is the service's own record, with the admin as actor.
    await f.settled();
    const { tenantId } = await f.data.ledger.tenantRecord("acme");
    const page = await f.data.query.search(tenantId, { action: "apikey.create" }, { limit: 50, order: "asc" });
    const record = page.entries
      .map((e) => JSON.parse(fromUtf8(e.leafData)) as JsonObject)
      .find((e) => (e.target as JsonObject).id === keyId);
    expect(record).toMatchObject({
      appended_by: { type: "service", id: "meta-audit" },
      actor: { id: `apikey:${f.keyIds.acme.admin}` },
    });
  });

  it("is refused when an event sends one, writing nothing", async () => {
    const size = await f.data.ledger.treeSize("acme");
    const [result] = await send(
      f.acme.ingest,
      validEvent("claims_appender", { appended_by: { type: "api_key", id: f.keyIds.acme.admin } }),
    );
    expect(result).toMatchObject({ status: "rejected", errors: [{ pointer: "/appended_by" }] });
    expect(await f.data.ledger.treeSize("acme")).toBe(size);
  });
});

describe("retries", () => {
  it("an identical retry from the same key is a duplicate with the original receipt", async () => {
    const event = validEvent("retry_same", { actor: person("Ada Lovelace"), context: { ip: "203.0.113.9" } });
    const [first] = await send(f.acme.ingest, event);
    expect(first?.status).toBe("created");
    const [again] = await send(f.acme.ingest, event);
    expect(again).toEqual({ ...first, status: "duplicate" });
  });

  it("a retry with other personal values is refused with a problem saying why, nothing dropped silently", async () => {
    const [first] = await send(f.acme.ingest, validEvent("retry_personal", { actor: person("Ada Lovelace") }));
    expect(first?.status).toBe("created");
    const size = await f.data.ledger.treeSize("acme");
    const [other] = await send(f.acme.ingest, validEvent("retry_personal", { actor: person("Ada King") }));
    expect(other).toEqual({
      id: "retry_personal",
      status: "rejected",
      errors: [{ pointer: "/id", message: expect.stringMatching(/already recorded.*personal values included/) }],
    });
    expect(await f.data.ledger.treeSize("acme")).toBe(size);
    const read = await f.request("GET", "/v1/events/retry_personal", f.acme.auditor);
    expect(read.json().event.actor.name).toBe("Ada Lovelace");
  });

  it("another key gets no receipt for the same content: the same refusal as for a wrong guess", async () => {
    const secretName = { actor: person("Grace Hopper"), context: { ip: "198.51.100.4" } };
    await send(f.acme.ingest, validEvent("retry_other_key", secretName));
    const made = await f.request("POST", "/v1/keys", f.acme.admin, { role: "ingest", name: "prober" });
    const prober = made.json().key as string;
    const [exact, guess] = await send(
      prober,
      validEvent("retry_other_key", secretName),
      validEvent("retry_other_key", { actor: person("Someone Else") }),
    );
    expect(exact).toMatchObject({ status: "rejected", errors: [{ pointer: "/id" }] });
    expect(exact).not.toHaveProperty("leaf_hash");
    expect(exact).not.toHaveProperty("index");
    expect(guess).toEqual(exact);
  });
});

describe("occurred_at", () => {
  it.each(["0000-01-01T00:00:00Z", "2999-01-01T00:00:00Z", "1969-12-31T23:59:59Z"])(
    "%s is refused at /occurred_at by default",
    async (occurredAt) => {
      const [result] = await send(
        f.acme.ingest,
        validEvent(`when_${occurredAt.slice(0, 4)}`, { occurred_at: occurredAt }),
      );
      expect(result).toMatchObject({ status: "rejected" });
      expect(result?.errors?.map((e) => e.pointer)).toEqual(["/occurred_at"]);
    },
  );

  it("one day ahead of the service's clock is accepted, more is not", async () => {
    const soon = new Date(Date.now() + 23 * 3_600_000).toISOString();
    const late = new Date(Date.now() + 25 * 3_600_000).toISOString();
    const [ok, tooLate] = await send(
      f.acme.ingest,
      validEvent("when_soon", { occurred_at: soon }),
      validEvent("when_late", { occurred_at: late }),
    );
    expect(ok?.status).toBe("created");
    expect(tooLate?.errors?.map((e) => e.pointer)).toEqual(["/occurred_at"]);
  });
});
