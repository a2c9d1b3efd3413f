// The AccessStore conformance suite (access-store.ts): every backend runs it,
// so the service relies on the contract, above all the atomic last-admin
// rule, rather than on one implementation's habits.
import type { Role } from "@trailproof/protocol";
import { afterEach, describe, expect, it } from "vitest";
import type { AccessStore, ApiKeyRecord, PlatformKeyRecord } from "./access-store.js";
import type { PeopleStore, PersonRecord } from "./people-store.js";

/** One backend's catalogue over a fresh, empty database. */
export interface CatalogueStores {
  access: AccessStore;
  people: PeopleStore;
  /** Creates a tenant through the backend's LogStore; its id. */
  createTenant(name: string): Promise<number>;
  close(): Promise<void>;
}

export type OpenCatalogueStores = () => Promise<CatalogueStores>;

export const AT = "2025-03-04T05:06:07.890Z";
export const LATER = "2025-03-05T00:00:00.000Z";

export function apiKey(
  tenantId: number | null,
  keyId: string,
  role: Role,
  extra: Partial<ApiKeyRecord> = {},
): ApiKeyRecord {
  return {
    keyId,
    tenantId,
    role,
    name: `${role} key ${keyId}`,
    secretHash: keyId.padEnd(64, "0"),
    createdAt: AT,
    createdBy: tenantId === null ? null : "person:ada",
    revokedAt: null,
    ...extra,
  };
}

export function platformKey(keyId: string, extra: Partial<PlatformKeyRecord> = {}): PlatformKeyRecord {
  return {
    keyId,
    name: `platform key ${keyId}`,
    secretHash: keyId.padEnd(64, "0"),
    tenants: "all",
    createTenants: false,
    unknownActions: "reject",
    createdAt: AT,
    createdBy: "operator:op",
    revokedAt: null,
    ...extra,
  };
}

export function person(
  tenantId: number,
  username: string,
  role: PersonRecord["role"],
  extra: Partial<PersonRecord> = {},
): PersonRecord {
  return {
    tenantId,
    username,
    displayName: `${username} (display)`,
    role,
    passwordHash: `scrypt$${username}`,
    totpSecret: null,
    totpEnrolledAt: null,
    totpLastStep: 0,
    recoveryHashes: [],
    createdAt: AT,
    disabledAt: null,
    ...extra,
  };
}

/** Opens stores that the suite's afterEach closes, failed tests included. */
export function openedPerTest(open: OpenCatalogueStores): OpenCatalogueStores {
  const opened: CatalogueStores[] = [];
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
  });
  return async () => {
    const s = await open();
    opened.push(s);
    return s;
  };
}

const byKeyId = (keys: ApiKeyRecord[]) => [...keys].sort((a, b) => a.keyId.localeCompare(b.keyId));

export function runAccessStoreConformance(name: string, open: OpenCatalogueStores): void {
  describe(`AccessStore conformance: ${name}`, () => {
    const fresh = openedPerTest(open);

    it("inserts, finds and lists keys: each tenant's apart, operator keys under tenant null", async () => {
      const { access, createTenant } = await fresh();
      const acme = await createTenant("acme");
      const globex = await createTenant("globex");
      const keys = [
        apiKey(acme, "a1", "admin"),
        apiKey(acme, "a2", "viewer", { revokedAt: LATER, createdBy: null }),
        apiKey(globex, "g1", "ingest"),
        apiKey(null, "op", "operator"),
      ];
      for (const k of keys) await access.insertApiKey(k);
      for (const k of keys) expect(await access.findApiKey(k.keyId)).toEqual(k);
      expect(await access.findApiKey("missing")).toBeUndefined();
      expect(byKeyId(await access.listApiKeys(acme))).toEqual([keys[0], keys[1]]);
      expect(await access.listApiKeys(globex)).toEqual([keys[2]]);
      expect(await access.listApiKeys(null)).toEqual([keys[3]]);
      expect(await access.listApiKeys(globex + 1000)).toEqual([]);
    });

    it("refuses a repeated key id, changing nothing", async () => {
      const { access, createTenant } = await fresh();
      const acme = await createTenant("acme");
      const globex = await createTenant("globex");
      const original = apiKey(acme, "k1", "viewer");
      await access.insertApiKey(original);
      // A forged second row with the same id must not replace the first nor land beside it.
      const forged = apiKey(globex, "k1", "admin", { secretHash: "f".repeat(64) });
      await expect(access.insertApiKey(forged)).rejects.toBeInstanceOf(Error);
      await expect(access.insertApiKey(original)).rejects.toBeInstanceOf(Error);
      expect(await access.findApiKey("k1")).toEqual(original);
      expect(await access.listApiKeys(acme)).toEqual([original]);
      expect(await access.listApiKeys(globex)).toEqual([]);
    });

    it("revokes an active key of the named tenant once; anything else is not_found and changes nothing", async () => {
      const { access, createTenant } = await fresh();
      const acme = await createTenant("acme");
      const globex = await createTenant("globex");
      await access.insertApiKey(apiKey(acme, "admin", "admin"));
      await access.insertApiKey(apiKey(acme, "viewer", "viewer"));
      await access.insertApiKey(apiKey(null, "op", "operator"));

      expect(await access.revokeApiKey(globex, "viewer", AT)).toBe("not_found");
      expect(await access.revokeApiKey(null, "viewer", AT)).toBe("not_found");
      expect(await access.revokeApiKey(acme, "op", AT)).toBe("not_found");
      expect(await access.revokeApiKey(acme, "missing", AT)).toBe("not_found");
      expect((await access.findApiKey("viewer"))?.revokedAt).toBeNull();
      expect((await access.findApiKey("op"))?.revokedAt).toBeNull();

      expect(await access.revokeApiKey(acme, "viewer", AT)).toBe("revoked");
      expect(await access.findApiKey("viewer")).toEqual(apiKey(acme, "viewer", "viewer", { revokedAt: AT }));
      // Revoked once: a second revocation finds no active key and keeps the first time.
      expect(await access.revokeApiKey(acme, "viewer", LATER)).toBe("not_found");
      expect((await access.findApiKey("viewer"))?.revokedAt).toBe(AT);

      // Operator keys are not admin keys: the last-admin rule is about tenants.
      expect(await access.revokeApiKey(null, "op", AT)).toBe("revoked");
      expect((await access.findApiKey("op"))?.revokedAt).toBe(AT);
    });

    it("refuses to revoke the last admin key (last_admin, nothing changed); one of two may go", async () => {
      const { access, createTenant } = await fresh();
      const acme = await createTenant("acme");
      const globex = await createTenant("globex");
      // None of these is another admin credential of acme.
      await access.insertApiKey(apiKey(acme, "viewer", "viewer"));
      await access.insertApiKey(apiKey(acme, "auditor", "auditor"));
      await access.insertApiKey(apiKey(acme, "old", "admin", { revokedAt: AT }));
      await access.insertApiKey(apiKey(globex, "theirs", "admin"));
      await access.insertApiKey(apiKey(acme, "a1", "admin"));

      expect(await access.revokeApiKey(acme, "a1", AT)).toBe("last_admin");
      expect((await access.findApiKey("a1"))?.revokedAt).toBeNull();

      await access.insertApiKey(apiKey(acme, "a2", "admin"));
      expect(await access.revokeApiKey(acme, "a1", AT)).toBe("revoked");
      expect(await access.revokeApiKey(acme, "a2", AT)).toBe("last_admin");
      expect((await access.findApiKey("a2"))?.revokedAt).toBeNull();
      expect(await access.revokeApiKey(globex, "theirs", AT)).toBe("last_admin");
    });

    it("counts an enabled admin person as an admin credential; a disabled one or a viewer does not", async () => {
      const { access, people, createTenant } = await fresh();
      const acme = await createTenant("acme");
      const globex = await createTenant("globex");
      await access.insertApiKey(apiKey(acme, "a1", "admin"));
      await people.insertPerson(person(acme, "gone", "admin", { disabledAt: AT }));
      await people.insertPerson(person(acme, "vic", "viewer"));
      await people.insertPerson(person(acme, "aud", "auditor"));
      await people.insertPerson(person(globex, "ada", "admin"));
      expect(await access.revokeApiKey(acme, "a1", AT)).toBe("last_admin");

      await people.insertPerson(person(acme, "ada", "admin"));
      expect(await access.revokeApiKey(acme, "a1", AT)).toBe("revoked");
      expect((await access.findApiKey("a1"))?.revokedAt).toBe(AT);
    });

    it("lets exactly one of two concurrent revocations of the last two admin keys through", async () => {
      const { access, createTenant } = await fresh();
      // Several rounds: one interleaving passing by luck proves little.
      for (let round = 0; round < 5; round++) {
        const t = await createTenant(`race${round}`);
        await access.insertApiKey(apiKey(t, `${t}-a`, "admin"));
        await access.insertApiKey(apiKey(t, `${t}-b`, "admin"));
        const settled = await Promise.allSettled([
          access.revokeApiKey(t, `${t}-a`, AT),
          access.revokeApiKey(t, `${t}-b`, AT),
        ]);
        const outcomes = settled.map((s) => (s.status === "fulfilled" ? s.value : String(s.reason)));
        expect([...outcomes].sort()).toEqual(["last_admin", "revoked"]);
        const revoked = await Promise.all([access.findApiKey(`${t}-a`), access.findApiKey(`${t}-b`)]);
        expect(revoked.map((k) => (k?.revokedAt === AT ? "revoked" : "last_admin"))).toEqual(outcomes);
      }
    });

    it("lets exactly one of a concurrent key revocation and person disabling through when they are the last two", async () => {
      const { access, people, createTenant } = await fresh();
      for (let round = 0; round < 5; round++) {
        const t = await createTenant(`race${round}`);
        await access.insertApiKey(apiKey(t, `${t}-key`, "admin"));
        await people.insertPerson(person(t, "ada", "admin"));
        const settled = await Promise.allSettled([
          access.revokeApiKey(t, `${t}-key`, AT),
          people.disablePerson(t, "ada", AT),
        ]);
        const outcomes = settled.map((s) => (s.status === "fulfilled" ? s.value : String(s.reason)));
        expect([
          ["revoked", "last_admin"],
          ["last_admin", "disabled"],
        ]).toContainEqual(outcomes);
        const keyGone = (await access.findApiKey(`${t}-key`))?.revokedAt === AT;
        const personGone = (await people.findPerson(t, "ada"))?.disabledAt === AT;
        expect([keyGone, personGone]).toEqual([outcomes[0] === "revoked", outcomes[1] === "disabled"]);
        expect(keyGone !== personGone).toBe(true);
      }
    });

    it("inserts, finds and lists platform keys, every field as written; none of them is an API key", async () => {
      const { access, createTenant } = await fresh();
      const acme = await createTenant("acme");
      const keys = [
        platformKey("p1"),
        platformKey("p2", {
          tenants: ["acme", "not-yet"],
          createTenants: true,
          unknownActions: "accept",
          createdBy: null,
          createdAt: LATER,
        }),
        platformKey("p3", { tenants: [], revokedAt: LATER }),
      ];
      for (const k of keys) await access.insertPlatformKey(k);
      for (const k of keys) expect(await access.findPlatformKey(k.keyId)).toEqual(k);
      expect(await access.findPlatformKey("missing")).toBeUndefined();
      expect(await access.listPlatformKeys()).toEqual([keys[0], keys[2], keys[1]]);
      // Apart from API keys both ways: neither lookup finds the other kind.
      await access.insertApiKey(apiKey(acme, "a1", "ingest"));
      expect(await access.findPlatformKey("a1")).toBeUndefined();
      expect(await access.findApiKey("p1")).toBeUndefined();
      expect(await access.listApiKeys(null)).toEqual([]);
    });

    it("refuses a repeated platform key id, changing nothing", async () => {
      const { access } = await fresh();
      const original = platformKey("p1", { tenants: ["acme"] });
      await access.insertPlatformKey(original);
      await expect(
        access.insertPlatformKey(platformKey("p1", { secretHash: "f".repeat(64), createTenants: true })),
      ).rejects.toBeInstanceOf(Error);
      expect(await access.listPlatformKeys()).toEqual([original]);
    });

    it("revokes an active platform key once; a missing or revoked one is not_found and keeps its time", async () => {
      const { access } = await fresh();
      await access.insertPlatformKey(platformKey("p1"));
      await access.insertPlatformKey(platformKey("p2"));
      expect(await access.revokePlatformKey("missing", AT)).toBe("not_found");
      expect(await access.revokePlatformKey("p1", AT)).toBe("revoked");
      expect(await access.findPlatformKey("p1")).toEqual(platformKey("p1", { revokedAt: AT }));
      expect(await access.revokePlatformKey("p1", LATER)).toBe("not_found");
      expect((await access.findPlatformKey("p1"))?.revokedAt).toBe(AT);
      expect((await access.findPlatformKey("p2"))?.revokedAt).toBeNull();
      const settled = await Promise.all([access.revokePlatformKey("p2", AT), access.revokePlatformKey("p2", LATER)]);
      expect([...settled].sort()).toEqual(["not_found", "revoked"]);
    });
  });
}
