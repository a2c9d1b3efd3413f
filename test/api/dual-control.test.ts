// Dual control over the API: signing-key rotation waits for a different
// person; nobody approves their own request, with a second key of their own
// included; a request is decided once, even when two approvals race, and
// never after it expired; each step is an event in the tenant's log; the
// operator's single-admin mode is explicit and logged.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiFixture, buildApiFixture } from "./api-fixture.js";

let f: ApiFixture;
beforeAll(async () => {
  f = await buildApiFixture({ acmeEvents: 4 });
});
afterAll(async () => {
  await f?.close();
});

interface Approval {
  id: string;
  status: string;
  action: string;
  request: Record<string, unknown>;
  requested_by: string;
  decided_by: string | null;
  outcome: Record<string, unknown> | null;
}

const rotate = (key: string) => f.request("POST", "/v1/log/key/rotate", key, { reason: "yearly rotation" });
const decide = (id: string, verb: "approve" | "reject", key: string) =>
  f.request("POST", `/v1/approvals/${id}/${verb}`, key);
const activeKey = async (key: string) => (await f.request("GET", "/v1/log/key", key)).json().verifier_key as string;

/** A second admin of acme who is a different person: a key the operator issued, standing for itself. */
async function otherAdmin(tenant: "acme" | "globex"): Promise<string> {
  const res = await f.request("POST", `/v1/tenants/${tenant}/keys`, f.operator, { name: "second approver" });
  expect(res.statusCode).toBe(201);
  return res.json().key as string;
}

/** The tenant's log events of dual control, oldest first. */
async function logged(key: string): Promise<{ action: string; target: { id: string }; actor: { id: string } }[]> {
  await f.settled();
  const q = encodeURIComponent("action:approval.* OR action:signing_key.rotate OR action:tenant.dual_control.update");
  const res = await f.request("GET", `/v1/events?q=${q}&order=asc&limit=500`, key);
  expect(res.statusCode).toBe(200);
  return (res.json().events as { event: never }[]).map((i) => i.event);
}

describe("dual control", () => {
  it("keeps a rotation pending until a different person approves it, then carries it out", async () => {
    const before = await activeKey(f.acme.admin);
    const asked = await rotate(f.acme.admin);
    expect(asked.statusCode).toBe(202);
    const approval = asked.json().approval as Approval;
    expect(approval).toMatchObject({
      status: "pending",
      action: "signing_key.rotate",
      request: { reason: "yearly rotation" },
      requested_by: f.keyIds.acme.admin,
      decided_by: null,
      outcome: null,
    });
    expect(await activeKey(f.acme.admin)).toBe(before);

    const own = await decide(approval.id, "approve", f.acme.admin);
    expect(own.statusCode).toBe(403);
    expect(own.json()).toMatchObject({ code: "APPROVAL_OWN_REQUEST" });

    // A second admin key the same admin created is still the same person.
    const second = await f.request("POST", "/v1/keys", f.acme.admin, { role: "admin", name: "my other key" });
    expect(second.statusCode).toBe(201);
    const ownOther = await decide(approval.id, "approve", second.json().key);
    expect(ownOther.statusCode).toBe(403);
    expect(ownOther.json()).toMatchObject({ code: "APPROVAL_OWN_REQUEST" });
    expect(await activeKey(f.acme.admin)).toBe(before);

    const bob = await otherAdmin("acme");
    const approved = await decide(approval.id, "approve", bob);
    expect(approved.statusCode).toBe(200);
    const done = approved.json().approval as Approval;
    expect(done.status).toBe("approved");
    const after = await activeKey(f.acme.admin);
    expect(after).not.toBe(before);
    expect(done.outcome).toEqual({ verifier_key: after });
    const keys = (await f.request("GET", "/v1/log/key", f.acme.auditor)).json().keys as { verifier_key: string }[];
    expect(keys.map((k) => k.verifier_key)).toContain(before);

    const again = await decide(approval.id, "approve", bob);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: "APPROVAL_NOT_PENDING" });

    const events = (await logged(f.acme.auditor)).filter(
      (e) => e.target.id === approval.id || e.action === "signing_key.rotate",
    );
    expect(events.map((e) => e.action)).toEqual(["approval.request", "approval.approve", "signing_key.rotate"]);
    expect(events[0]?.actor.id).toBe(`apikey:${f.keyIds.acme.admin}`);
    expect(events[1]?.actor.id).not.toBe(events[0]?.actor.id);
  });

  it("lets exactly one of two racing approvals carry a request out", async () => {
    const [bob, carol] = [await otherAdmin("acme"), await otherAdmin("acme")];
    const id = ((await rotate(f.acme.admin)).json().approval as Approval).id;
    const keysBefore = ((await f.request("GET", "/v1/log/key", f.acme.admin)).json().keys as unknown[]).length;
    const answers = await Promise.all([decide(id, "approve", bob), decide(id, "approve", carol)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
    const keysAfter = ((await f.request("GET", "/v1/log/key", f.acme.admin)).json().keys as unknown[]).length;
    expect(keysAfter).toBe(keysBefore + 1);
  });

  it("rejects, and never approves a rejected or expired request", async () => {
    const before = await activeKey(f.acme.admin);
    const id = ((await rotate(f.acme.admin)).json().approval as Approval).id;
    // The requester may withdraw their own request.
    const rejected = await decide(id, "reject", f.acme.admin);
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json().approval).toMatchObject({ status: "rejected", decided_by: f.keyIds.acme.admin });
    const late = await decide(id, "approve", await otherAdmin("acme"));
    expect(late.statusCode).toBe(409);
    expect(await activeKey(f.acme.admin)).toBe(before);

    const tenantId = (await f.data.ledger.tenantRecord("acme")).tenantId;
    await f.data.approvals.insertApproval({
      approvalId: "apr_expired",
      tenantId,
      action: "signing_key.rotate",
      request: { reason: "old" },
      requestedBy: f.keyIds.acme.admin,
      requesterOwner: `key:${f.keyIds.acme.admin}`,
      status: "pending",
      createdAt: "2026-01-01T00:00:00.000Z",
      expiresAt: "2026-01-04T00:00:00.000Z",
      decidedBy: null,
      decidedAt: null,
      outcome: null,
    });
    const expired = await decide("apr_expired", "approve", await otherAdmin("acme"));
    expect(expired.statusCode).toBe(409);
    expect(expired.json()).toMatchObject({ code: "APPROVAL_EXPIRED" });
    const list = await f.request("GET", "/v1/approvals?status=expired", f.acme.admin);
    expect((list.json().approvals as Approval[]).map((a) => a.id)).toEqual(["apr_expired"]);
    const all = (await f.request("GET", "/v1/approvals", f.acme.admin)).json().approvals as Approval[];
    expect(all.map((a) => a.status)).toEqual(expect.arrayContaining(["approved", "rejected", "expired"]));
  });

  it("keeps tenants and roles apart", async () => {
    const id = ((await rotate(f.acme.admin)).json().approval as Approval).id;
    const fromGlobex = await decide(id, "approve", f.globex.admin);
    expect(fromGlobex.statusCode).toBe(404);
    expect(fromGlobex.json()).toMatchObject({ code: "APPROVAL_NOT_FOUND" });
    expect((await f.request("GET", `/v1/approvals/${id}`, f.globex.admin)).statusCode).toBe(404);
    for (const key of [f.acme.auditor, f.acme.viewer, f.acme.ingest]) {
      expect((await decide(id, "approve", key)).statusCode).toBe(403);
      expect((await f.request("GET", "/v1/approvals", key)).statusCode).toBe(403);
      expect((await rotate(key)).statusCode).toBe(403);
    }
    const bad = await f.request("POST", "/v1/log/key/rotate", f.acme.admin, { reason: "" });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers["content-type"]).toMatch(/^application\/problem\+json/);
  });

  it("gives a tenant its second approver at creation when the operator names one", async () => {
    const made = await f.request("POST", "/v1/tenants", f.operator, {
      name: "initech",
      second_approver: { name: "Bob, the deputy" },
    });
    expect(made.statusCode).toBe(201);
    const { admin_key: first, second_admin_key: second } = made.json() as Record<string, string>;
    expect(second).toMatch(/^tpk_/);
    expect(second).not.toBe(first);
    const asked = await rotate(first as string);
    expect(asked.statusCode).toBe(202);
    const id = (asked.json().approval as Approval).id;
    expect((await decide(id, "approve", second as string)).statusCode).toBe(200);
    const keys = (await f.request("GET", "/v1/keys", first)).json().keys as { name: string; role: string }[];
    expect(keys).toContainEqual(expect.objectContaining({ role: "admin", name: "second approver: Bob, the deputy" }));

    const plain = await f.request("POST", "/v1/tenants", f.operator, { name: "hooli" });
    expect(plain.statusCode).toBe(201);
    expect(plain.json()).not.toHaveProperty("second_admin_key");
  });

  it("carries a request out at once in single-admin mode, which only the operator sets and the log records", async () => {
    const forbidden = await f.request("PUT", "/v1/tenants/globex/dual-control", f.globex.admin, {
      single_admin: true,
      reason: "one admin",
    });
    expect(forbidden.statusCode).toBe(403);
    const set = await f.request("PUT", "/v1/tenants/globex/dual-control", f.operator, {
      single_admin: true,
      reason: "globex has one admin until March",
    });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ tenant: "globex", single_admin: true, set_by: `operator:${f.keyIds.operator}` });
    const before = await activeKey(f.globex.admin);
    const res = await rotate(f.globex.admin);
    expect(res.statusCode).toBe(200);
    expect(res.json().approval).toMatchObject({ status: "approved", decided_by: f.keyIds.globex.admin });
    expect(await activeKey(f.globex.admin)).not.toBe(before);
    const actions = (await logged(f.globex.auditor)).map((e) => e.action);
    expect(actions).toEqual(["tenant.dual_control.update", "approval.request", "signing_key.rotate"]);
    // acme is untouched by globex's setting.
    expect((await rotate(f.acme.admin)).statusCode).toBe(202);
  });
});
