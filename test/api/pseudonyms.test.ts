// Keyed pseudonyms over the API: a viewer sees people's ids as the tenant's
// pseudonyms (events and actor stats), counts stay exact, an auditor sees
// ids and may resolve a pseudonym with a reason, every resolution (found or
// not) is an event in the log that names the pseudonym and never the id,
// and two tenants never share a pseudonym for the same person.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiFixture, buildApiFixture, problemOf } from "./api-fixture.js";

let f: ApiFixture;
beforeAll(async () => {
  f = await buildApiFixture({ acmeEvents: 12 });
});
afterAll(async () => {
  await f?.close();
});

const PSN = /^psn_[0-9a-f]{32}$/;
interface Item {
  redacted: boolean;
  event: { id: string; message?: string; actor: { type: string; id: string }; target: { type: string; id: string } };
}

/** A user actor of the fixture's acme events, and the first event it acted in. */
function someUserEvent(): { eventId: string; actorId: string } {
  const sent = f.sent.acme.find((e) => (e.actor as { type: string }).type === "user") as {
    id: string;
    actor: { id: string };
  };
  return { eventId: sent.id, actorId: sent.actor.id };
}

const resolve = (key: string, body: unknown) => f.request("POST", "/v1/pseudonyms/resolve", key, body);

describe("pseudonyms", () => {
  it("show a viewer pseudonyms where an auditor sees the ids", async () => {
    const { eventId, actorId } = someUserEvent();
    const viewed = (await f.request("GET", `/v1/events/${eventId}`, f.acme.viewer)).json() as Item;
    const audited = (await f.request("GET", `/v1/events/${eventId}`, f.acme.auditor)).json() as Item;
    expect(audited.event.actor.id).toBe(actorId);
    expect(viewed.event.actor.id).toMatch(PSN);
    expect(JSON.stringify(viewed.event.actor)).not.toContain(actorId);
    expect(viewed.event.message ?? "").not.toMatch(new RegExp(`\\b${actorId}\\b`));
    // Only the person's id changes: the rest of the committed event is as an auditor's copy without personal values.
    expect(viewed.event.id).toBe(eventId);
    expect(viewed.event.target).toEqual(audited.event.target);
  });

  it("name actor groups in stats by pseudonym for a viewer, or anyone who asks, with the same counts", async () => {
    await f.settled();
    const url = "/v1/stats?bucket=day&group_by=actor&from=2026-11-01T00:00:00Z&to=2026-11-10T00:00:00Z";
    const plain = (await f.request("GET", url, f.acme.auditor)).json();
    const asked = (await f.request("GET", `${url}&pseudonyms=true`, f.acme.auditor)).json();
    const viewer = (await f.request("GET", url, f.acme.viewer)).json();
    expect(plain.pseudonyms).toBe(false);
    expect(plain.groups.some((g: string) => PSN.test(g))).toBe(false);
    for (const hidden of [asked, viewer]) {
      expect(hidden.pseudonyms).toBe(true);
      expect(hidden.total).toBe(plain.total);
      expect(hidden.groups).toHaveLength(plain.groups.length);
      expect(hidden.groups.every((g: string) => PSN.test(g))).toBe(true);
      const counts = (s: { buckets: { groups: Record<string, number> }[] }) =>
        s.buckets.map((b) => Object.values(b.groups).sort());
      expect(counts(hidden)).toEqual(counts(plain));
    }
    // The viewer's pseudonym of an actor is the one its event view shows.
    const { eventId } = someUserEvent();
    const item = (await f.request("GET", `/v1/events/${eventId}`, f.acme.viewer)).json() as Item;
    expect(viewer.groups).toContain(item.event.actor.id);
  });

  it("resolve for an auditor with a reason, recorded in the log without the id", async () => {
    const { eventId, actorId } = someUserEvent();
    const pseudonym = ((await f.request("GET", `/v1/events/${eventId}`, f.acme.viewer)).json() as Item).event.actor.id;
    const res = await resolve(f.acme.auditor, { pseudonym, reason: "incident 42: who changed the page" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ pseudonym, id: actorId });

    await f.settled();
    const q = encodeURIComponent(`action:pseudonym.resolve target:pseudonym:${pseudonym}`);
    const logged = (await f.request("GET", `/v1/events?q=${q}`, f.acme.auditor)).json().events as {
      event: { actor: { id: string }; target: { id: string }; metadata: { resolved: boolean; reason: string } };
    }[];
    expect(logged).toHaveLength(1);
    const event = logged[0]?.event;
    expect(event?.actor.id).toBe(`apikey:${f.keyIds.acme.auditor}`);
    expect(event?.metadata).toMatchObject({ resolved: true, reason: "incident 42: who changed the page" });
    expect(JSON.stringify(event)).not.toContain(actorId);
  });

  it("answer 404 for a pseudonym nobody has, and record that attempt too", async () => {
    const nobody = `psn_${"0".repeat(32)}`;
    const res = await resolve(f.acme.admin, { pseudonym: nobody, reason: "checking a report" });
    expect(res.statusCode).toBe(404);
    expect(problemOf(res).code).toBe("PSEUDONYM_NOT_FOUND");
    await f.settled();
    const q = encodeURIComponent(`action:pseudonym.resolve target:pseudonym:${nobody}`);
    const logged = (await f.request("GET", `/v1/events?q=${q}`, f.acme.auditor)).json().events as {
      event: { metadata: { resolved: boolean } };
    }[];
    expect(logged.map((l) => l.event.metadata.resolved)).toEqual([false]);
  });

  it("refuse viewers, ingest keys and bodies without a reason or with a malformed pseudonym", async () => {
    const pseudonym = `psn_${"a".repeat(32)}`;
    expect((await resolve(f.acme.viewer, { pseudonym, reason: "curious" })).statusCode).toBe(403);
    expect((await resolve(f.acme.ingest, { pseudonym, reason: "curious" })).statusCode).toBe(403);
    const bad = await resolve(f.acme.auditor, { pseudonym: "usr_ada" });
    expect(bad.statusCode).toBe(400);
    const pointers = (problemOf(bad).problems ?? []).map((p) => p.pointer).sort();
    expect(pointers).toEqual(["/body/pseudonym", "/body/reason"]);
  });

  it("differ between tenants for the same person, and never resolve across them", async () => {
    const { eventId, actorId } = someUserEvent();
    const acme = ((await f.request("GET", `/v1/events/${eventId}`, f.acme.viewer)).json() as Item).event.actor.id;
    const globexItems = (await f.request("GET", "/v1/events?limit=200", f.globex.viewer)).json().events as Item[];
    const globexIds = new Set(globexItems.map((i) => i.event.actor.id));
    expect(globexIds.has(acme)).toBe(false);
    const res = await resolve(f.globex.auditor, { pseudonym: acme, reason: "cross-tenant probe" });
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain(actorId);
  });
});
