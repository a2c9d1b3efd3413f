// The PeopleStore conformance suite (people-store.ts): people per tenant,
// the atomic last-admin rule on disabling, sessions and viewer tokens, run
// against every backend.
import { describe, expect, it } from "vitest";
import { AT, apiKey, LATER, type OpenCatalogueStores, openedPerTest, person } from "./access-store.conformance.js";
import type { SessionRecord, ViewerTokenRecord } from "./people-store.js";

function session(tenantId: number, username: string, sessionHash: string): SessionRecord {
  return {
    sessionHash,
    tenantId,
    username,
    csrfToken: `csrf-${sessionHash}`,
    createdAt: AT,
    expiresAt: LATER,
    revokedAt: null,
  };
}

export function runPeopleStoreConformance(name: string, open: OpenCatalogueStores): void {
  describe(`PeopleStore conformance: ${name}`, () => {
    const fresh = openedPerTest(open);

    it("inserts, finds and lists people per tenant", async () => {
      const { people, createTenant } = await fresh();
      const acme = await createTenant("acme");
      const globex = await createTenant("globex");
      const ada = person(acme, "ada", "admin", {
        totpSecret: "JBSWY3DPEHPK3PXP",
        totpEnrolledAt: AT,
        totpLastStep: 58_000_123,
        recoveryHashes: ["a".repeat(64), "b".repeat(64)],
      });
      const bob = person(acme, "bob", "viewer", { disabledAt: LATER });
      const theirAda = person(globex, "ada", "auditor", { displayName: "Another Ada" });
      for (const p of [bob, ada, theirAda]) await people.insertPerson(p);

      expect(await people.findPerson(acme, "ada")).toEqual(ada);
      expect(await people.findPerson(globex, "ada")).toEqual(theirAda);
      expect(await people.findPerson(globex, "bob")).toBeUndefined();
      expect(await people.findPerson(acme, "nobody")).toBeUndefined();
      expect(await people.listPeople(acme)).toEqual([ada, bob]);
      expect(await people.listPeople(globex)).toEqual([theirAda]);
      expect(await people.listPeople(globex + 1000)).toEqual([]);
    });

    it("refuses a repeated username in one tenant, changing nothing", async () => {
      const { people, createTenant } = await fresh();
      const acme = await createTenant("acme");
      const ada = person(acme, "ada", "viewer");
      await people.insertPerson(ada);
      await expect(
        people.insertPerson(person(acme, "ada", "admin", { passwordHash: "forged" })),
      ).rejects.toBeInstanceOf(Error);
      expect(await people.findPerson(acme, "ada")).toEqual(ada);
      expect(await people.listPeople(acme)).toEqual([ada]);
    });

    it("updatePerson saves exactly the TOTP state, recovery codes and disabledAt of that one person", async () => {
      const { people, createTenant } = await fresh();
      const acme = await createTenant("acme");
      const globex = await createTenant("globex");
      const ada = person(acme, "ada", "viewer");
      const theirAda = person(globex, "ada", "viewer");
      await people.insertPerson(ada);
      await people.insertPerson(theirAda);

      const enrolled = {
        ...ada,
        totpSecret: "JBSWY3DPEHPK3PXP",
        totpEnrolledAt: LATER,
        totpLastStep: 58_000_124,
        recoveryHashes: ["c".repeat(64), "d".repeat(64), "e".repeat(64)],
        disabledAt: LATER,
      };
      // The immutable parts in the argument are ignored: only the mutable ones are saved.
      await people.updatePerson({ ...enrolled, displayName: "Renamed", role: "admin", passwordHash: "forged" });
      expect(await people.findPerson(acme, "ada")).toEqual(enrolled);
      expect(await people.findPerson(globex, "ada")).toEqual(theirAda);

      const reset = { ...ada, totpLastStep: 58_000_125 };
      await people.updatePerson(reset);
      expect(await people.findPerson(acme, "ada")).toEqual(reset);
    });

    it("disables a person once; refuses the last admin (last_admin, nothing changed)", async () => {
      const { access, people, createTenant } = await fresh();
      const acme = await createTenant("acme");
      const globex = await createTenant("globex");
      await people.insertPerson(person(acme, "ada", "admin"));
      await people.insertPerson(person(acme, "vic", "viewer"));
      await people.insertPerson(person(acme, "gone", "admin", { disabledAt: AT }));
      await people.insertPerson(person(globex, "theirs", "admin"));
      await access.insertApiKey(apiKey(acme, "old", "admin", { revokedAt: AT }));
      await access.insertApiKey(apiKey(acme, "viewer", "viewer"));

      expect(await people.disablePerson(acme, "ada", AT)).toBe("last_admin");
      expect((await people.findPerson(acme, "ada"))?.disabledAt).toBeNull();
      expect(await people.disablePerson(globex, "vic", AT)).toBe("not_found");
      expect(await people.disablePerson(acme, "nobody", AT)).toBe("not_found");
      expect(await people.disablePerson(acme, "vic", AT)).toBe("disabled");
      expect(await people.findPerson(acme, "vic")).toEqual(person(acme, "vic", "viewer", { disabledAt: AT }));
      expect(await people.disablePerson(acme, "vic", LATER)).toBe("already_disabled");
      expect(await people.disablePerson(acme, "gone", LATER)).toBe("already_disabled");
      expect((await people.findPerson(acme, "vic"))?.disabledAt).toBe(AT);
      expect((await people.findPerson(acme, "gone"))?.disabledAt).toBe(AT);

      // Another enabled admin person, or an active admin key, is another admin credential.
      await people.insertPerson(person(acme, "bea", "admin"));
      expect(await people.disablePerson(acme, "ada", AT)).toBe("disabled");
      expect(await people.disablePerson(acme, "bea", AT)).toBe("last_admin");
      await access.insertApiKey(apiKey(acme, "key", "admin"));
      expect(await people.disablePerson(acme, "bea", AT)).toBe("disabled");
      expect(await access.revokeApiKey(acme, "key", AT)).toBe("last_admin");
      expect(await people.disablePerson(globex, "theirs", AT)).toBe("last_admin");
    });

    it("lets exactly one of two concurrent disablings of the last two admins through", async () => {
      const { people, createTenant } = await fresh();
      for (let round = 0; round < 5; round++) {
        const t = await createTenant(`race${round}`);
        await people.insertPerson(person(t, "ada", "admin"));
        await people.insertPerson(person(t, "bea", "admin"));
        const settled = await Promise.allSettled([
          people.disablePerson(t, "ada", AT),
          people.disablePerson(t, "bea", AT),
        ]);
        const outcomes = settled.map((s) => (s.status === "fulfilled" ? s.value : String(s.reason)));
        expect([...outcomes].sort()).toEqual(["disabled", "last_admin"]);
        const found = await Promise.all([people.findPerson(t, "ada"), people.findPerson(t, "bea")]);
        expect(found.map((p) => (p?.disabledAt === AT ? "disabled" : "last_admin"))).toEqual(outcomes);
      }
    });

    it("keeps sessions: found by hash across tenants, revoked one at a time or per person", async () => {
      const { people, createTenant } = await fresh();
      const acme = await createTenant("acme");
      const globex = await createTenant("globex");
      for (const p of [person(acme, "ada", "admin"), person(acme, "bob", "viewer"), person(globex, "ada", "admin")]) {
        await people.insertPerson(p);
      }
      const sessions = {
        s1: session(acme, "ada", "s1"),
        s2: session(acme, "ada", "s2"),
        s3: session(acme, "bob", "s3"),
        s4: session(globex, "ada", "s4"),
      };
      for (const s of Object.values(sessions)) await people.insertSession(s);
      for (const s of Object.values(sessions)) expect(await people.findSession(s.sessionHash)).toEqual(s);
      expect(await people.findSession("missing")).toBeUndefined();

      await people.revokeSession("s1", AT);
      expect(await people.findSession("s1")).toEqual({ ...sessions.s1, revokedAt: AT });
      await people.revokeSessionsOf(acme, "ada", LATER);
      expect((await people.findSession("s1"))?.revokedAt).not.toBeNull();
      expect(await people.findSession("s2")).toEqual({ ...sessions.s2, revokedAt: LATER });
      expect(await people.findSession("s3")).toEqual(sessions.s3);
      expect(await people.findSession("s4")).toEqual(sessions.s4);
    });

    it("keeps viewer tokens: found by id, the filter an object again", async () => {
      const { people, createTenant } = await fresh();
      const acme = await createTenant("acme");
      const globex = await createTenant("globex");
      const tokens: ViewerTokenRecord[] = [
        {
          tokenId: "t1",
          tenantId: acme,
          secretHash: "1".repeat(64),
          viewerId: "user-17",
          viewerName: "Grace",
          filter: { actor: "user-17", "target.type": "record", action: 'quote "x"' },
          createdBy: "key:a1",
          createdAt: AT,
          expiresAt: LATER,
        },
        {
          tokenId: "t2",
          tenantId: globex,
          secretHash: "2".repeat(64),
          viewerId: "user-18",
          viewerName: null,
          filter: {},
          createdBy: "person:ada",
          createdAt: AT,
          expiresAt: LATER,
        },
      ];
      for (const t of tokens) await people.insertViewerToken(t);
      for (const t of tokens) expect(await people.findViewerToken(t.tokenId)).toEqual(t);
      expect(await people.findViewerToken("missing")).toBeUndefined();
    });

    it("lists a tenant's live viewer tokens, newest first, and no other tenant's", async () => {
      const { people, createTenant } = await fresh();
      const acme = await createTenant("acme");
      const globex = await createTenant("globex");
      const token = (tokenId: string, tenantId: number, createdAt: string, expiresAt: string): ViewerTokenRecord => ({
        tokenId,
        tenantId,
        secretHash: tokenId.padEnd(64, "0"),
        viewerId: `viewer-${tokenId}`,
        viewerName: null,
        filter: { tag: "team:a" },
        createdBy: "key:a1",
        createdAt,
        expiresAt,
      });
      const old = token("t_old", acme, "2025-03-01T00:00:00.000Z", "2025-03-01T01:00:00.000Z");
      const first = token("t_first", acme, AT, LATER);
      const second = token("t_second", acme, "2025-03-04T06:00:00.000Z", LATER);
      const other = token("t_other", globex, AT, LATER);
      for (const t of [old, first, second, other]) await people.insertViewerToken(t);
      expect(await people.listViewerTokens(acme, AT)).toEqual([second, first]);
      expect(await people.listViewerTokens(globex, AT)).toEqual([other]);
      expect(await people.listViewerTokens(acme, LATER)).toEqual([]);
    });
  });
}
