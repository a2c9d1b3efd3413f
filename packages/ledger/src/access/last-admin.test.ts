// The store's LAST_ADMIN guard (AccessStore.revokeApiKey, PeopleStore.disablePerson)
// on SQLite: a tenant's last admin credential, key or person, is never taken
// away, whichever path asks, and the check is atomic with the change.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type DataDir, openDataDir } from "../open-data-dir.js";
import type { PersonRecord } from "../store/people-store.js";
import { issueApiKey } from "./api-keys.js";

const open: DataDir[] = [];
afterEach(async () => {
  for (const d of open.splice(0)) await d.ledger.close();
});

async function tenant(): Promise<{ data: DataDir; tenantId: number }> {
  const data = await openDataDir({
    dataDir: mkdtempSync(join(tmpdir(), "trailproof-admin-")),
    checkpointIntervalMs: 0,
  });
  open.push(data);
  const { tenantId } = await data.ledger.createTenant("acme");
  return { data, tenantId };
}

const key = (data: DataDir, tenantId: number, role: "admin" | "viewer") =>
  issueApiKey(data.access, { tenantId, role, name: role, createdBy: "test" }).then((k) => k.record.keyId);

function person(tenantId: number, username: string, role: PersonRecord["role"]): PersonRecord {
  return {
    tenantId,
    username,
    displayName: username,
    role,
    passwordHash: "x",
    totpSecret: null,
    totpEnrolledAt: null,
    totpLastStep: 0,
    recoveryHashes: [],
    createdAt: new Date().toISOString(),
    disabledAt: null,
  };
}

const now = () => new Date().toISOString();

describe("the last admin credential", () => {
  it("as a key: refused (last_admin), nothing changed; any other key goes", async () => {
    const { data, tenantId } = await tenant();
    const admin = await key(data, tenantId, "admin");
    const viewer = await key(data, tenantId, "viewer");
    expect(await data.access.revokeApiKey(tenantId, admin, now())).toBe("last_admin");
    expect((await data.access.findApiKey(admin))?.revokedAt).toBeNull();
    expect(await data.access.revokeApiKey(tenantId, viewer, now())).toBe("revoked");
    expect(await data.access.revokeApiKey(tenantId, viewer, now())).toBe("not_found");
    expect(await data.access.revokeApiKey(tenantId + 1, admin, now())).toBe("not_found");
  });

  it("as a person: refused when no admin key and no other admin person remains", async () => {
    const { data, tenantId } = await tenant();
    await data.people.insertPerson(person(tenantId, "ada", "admin"));
    await data.people.insertPerson(person(tenantId, "vic", "viewer"));
    expect(await data.people.disablePerson(tenantId, "ada", now())).toBe("last_admin");
    expect((await data.people.findPerson(tenantId, "ada"))?.disabledAt).toBeNull();
    expect(await data.people.disablePerson(tenantId, "vic", now())).toBe("disabled");
    expect(await data.people.disablePerson(tenantId, "vic", now())).toBe("already_disabled");
    expect(await data.people.disablePerson(tenantId, "nobody", now())).toBe("not_found");
    const admin = await key(data, tenantId, "admin");
    expect(await data.people.disablePerson(tenantId, "ada", now())).toBe("disabled");
    expect(await data.access.revokeApiKey(tenantId, admin, now())).toBe("last_admin");
  });

  it("counts people and keys together: a key may go while an admin person remains, and the other way", async () => {
    const { data, tenantId } = await tenant();
    const admin = await key(data, tenantId, "admin");
    await data.people.insertPerson(person(tenantId, "ada", "admin"));
    expect(await data.access.revokeApiKey(tenantId, admin, now())).toBe("revoked");
    expect(await data.people.disablePerson(tenantId, "ada", now())).toBe("last_admin");
  });

  it("lets exactly one of two concurrent revocations of the last two admin keys through", async () => {
    const { data, tenantId } = await tenant();
    const a = await key(data, tenantId, "admin");
    const b = await key(data, tenantId, "admin");
    const outcomes = await Promise.all([
      data.access.revokeApiKey(tenantId, a, now()),
      data.access.revokeApiKey(tenantId, b, now()),
    ]);
    expect(outcomes.sort()).toEqual(["last_admin", "revoked"]);
  });

  it("is per tenant: another tenant's admins do not count", async () => {
    const { data, tenantId } = await tenant();
    const { tenantId: other } = await data.ledger.createTenant("globex");
    await key(data, other, "admin");
    const admin = await key(data, tenantId, "admin");
    expect(await data.access.revokeApiKey(tenantId, admin, now())).toBe("last_admin");
  });
});
