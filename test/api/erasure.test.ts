// Erasure by crypto-shredding (issue 12), against a real SQLite data
// directory: a personal value never rests in clear (tenant files, WAL,
// backup archive); POST /v1/erasures waits for a different admin; once
// approved, reads show the erased marker, the log holds erasure.complete
// naming the subject by pseudonym only, the receipt verifies offline, and
// `trailproof verify --data` still passes, counting the erased values apart.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { type ErasureReceipt, verifyErasureReceipt } from "@trailproof/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trailproof } from "../run-cli.js";
import { type ApiFixture, buildApiFixture, problemOf, validEvent } from "./api-fixture.js";

let f: ApiFixture;
beforeAll(async () => {
  f = await buildApiFixture({ acmeEvents: 4 });
});
afterAll(async () => {
  await f?.close();
});

/** Distinctive personal values: found in raw bytes only if stored in clear. */
const ADA_NAME = "Ada Qwzxplorvik Lovelace";
const ADA_IP = "198.51.100.177";
const BOB_NAME = "Bob Vrnqtzilwop Babbage";

/**
 * Every file under `dir` (the master key excepted: it is the one secret meant to be there),
 * concatenated. Read by another process: closing a descriptor of a SQLite file in this one
 * would drop the server's POSIX locks on it (the WAL could then be deleted under it).
 */
function rawBytes(dir: string): Buffer {
  const parts: Buffer[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name !== "master.key") parts.push(execFileSync("cat", [path], { maxBuffer: 1 << 30 }));
    }
  };
  walk(dir);
  return Buffer.concat(parts);
}

const has = (bytes: Buffer, text: string) => bytes.includes(Buffer.from(text, "utf8"));

async function otherAdmin(): Promise<string> {
  const res = await f.request("POST", "/v1/tenants/acme/keys", f.operator, { name: "second approver" });
  expect(res.statusCode).toBe(201);
  return res.json().key as string;
}

describe("erasure", () => {
  let adaEvent: string;
  let bobEvent: string;
  let approver: string;

  it("stores personal values sealed: no clear text in the tenant files", async () => {
    const res = await f.request("POST", "/v1/events", f.acme.ingest, {
      events: [
        validEvent("ers-ada-1", {
          actor: { type: "user", id: "usr_ada", name: ADA_NAME },
          context: { ip: ADA_IP },
        }),
        validEvent("ers-bob-1", { actor: { type: "user", id: "usr_bob", name: BOB_NAME } }),
      ],
    });
    expect(res.statusCode).toBe(200);
    [adaEvent, bobEvent] = (res.json().results as { id: string }[]).map((r) => r.id) as [string, string];
    await f.data.ledger.publishCheckpoints();
    const ada = await f.request("GET", `/v1/events/${adaEvent}`, f.acme.admin);
    expect(ada.json().event.actor.name).toBe(ADA_NAME);
    const bytes = rawBytes(f.dataDir);
    for (const value of [ADA_NAME, ADA_IP, BOB_NAME]) expect(has(bytes, value), value).toBe(false);
  });

  it("refuses a body that does not name exactly one subject id, changing nothing", async () => {
    for (const subject of [{}, { actor_id: "usr_ada", target_id: "usr_ada" }]) {
      const res = await f.request("POST", "/v1/erasures", f.acme.admin, { subject });
      expect(res.statusCode).toBe(400);
      expect(problemOf(res)).toMatchObject({ code: "ERASURE_SUBJECT_INVALID" });
    }
    const unknown = await f.request("POST", "/v1/erasures", f.acme.admin, { subject: { name: "x" } });
    expect(unknown.statusCode).toBe(400);
    expect((await f.request("GET", "/v1/erasures", f.acme.admin)).json().erasures).toEqual([]);
    const viewer = await f.request("POST", "/v1/erasures", f.acme.auditor, { subject: { actor_id: "usr_ada" } });
    expect(viewer.statusCode).toBe(403);
  });

  it("waits for a different admin, refuses self-approval, then shreds and logs it with a receipt", async () => {
    const asked = await f.request("POST", "/v1/erasures", f.acme.admin, { subject: { actor_id: "usr_ada" } });
    expect(asked.statusCode).toBe(202);
    const approval = asked.json().approval as { id: string; status: string; action: string };
    expect(approval).toMatchObject({ status: "pending", action: "erasure" });
    // Nothing erased while pending.
    expect((await f.request("GET", `/v1/events/${adaEvent}`, f.acme.admin)).json().event.actor.name).toBe(ADA_NAME);

    const own = await f.request("POST", `/v1/approvals/${approval.id}/approve`, f.acme.admin);
    expect(own.statusCode).toBe(403);
    expect(problemOf(own).code).toBe("APPROVAL_OWN_REQUEST");

    approver = await otherAdmin();
    const approved = await f.request("POST", `/v1/approvals/${approval.id}/approve`, approver);
    expect(approved.statusCode).toBe(200);
    const outcome = approved.json().approval.outcome as {
      already_erased: boolean;
      erasure: { id: string; subject: string; values_erased: number; entries_touched: number; receipt: ErasureReceipt };
    };
    expect(outcome.already_erased).toBe(false);
    expect(outcome.erasure.subject).toMatch(/^psn_[0-9a-f]{32}$/);
    // Ada's name and IP, and her own earlier request's context if any: at least the two of her event.
    expect(outcome.erasure.values_erased).toBeGreaterThanOrEqual(2);

    // The receipt verifies offline against the pinned verifier key.
    const key = (await f.request("GET", "/v1/log/key", f.acme.auditor)).json().verifier_key as string;
    const checked = verifyErasureReceipt(outcome.erasure.receipt, key);
    expect(checked.treeSize).toBeGreaterThan(BigInt(outcome.erasure.receipt.index));
    // A receipt for another erasure id fails.
    expect(() => verifyErasureReceipt({ ...outcome.erasure.receipt, erasure_id: "ers_other" }, key)).toThrow();
    // The same, offline, with the CLI: the receipt as a file and the pinned key.
    const dir = mkdtempSync(join(tmpdir(), "trailproof-erasure-receipt-"));
    writeFileSync(join(dir, "receipt.json"), JSON.stringify(outcome.erasure.receipt));
    const cli = await trailproof(["verify", "--erasure-receipt", join(dir, "receipt.json"), "--key", key]);
    expect(cli.code, cli.stdout + cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/^OK erasure ers_/);
    const forged = { ...outcome.erasure.receipt, index: outcome.erasure.receipt.index + 1 };
    writeFileSync(join(dir, "forged.json"), JSON.stringify(forged));
    const refused = await trailproof(["verify", "--erasure-receipt", join(dir, "forged.json"), "--key", key]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^FAILED erasure receipt/);

    // erasure.complete is in the log, naming the subject only by pseudonym.
    const logged = await f.request("GET", `/v1/events/${outcome.erasure.id}`, f.acme.admin);
    expect(logged.statusCode).toBe(200);
    expect(logged.json().event).toMatchObject({
      action: "erasure.complete",
      metadata: { erasure_id: outcome.erasure.id, subject: outcome.erasure.subject },
    });
    expect(JSON.stringify(logged.json().event)).not.toContain("usr_ada");

    const one = await f.request("GET", `/v1/erasures/${outcome.erasure.id}`, f.acme.admin);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id: outcome.erasure.id, values_erased: outcome.erasure.values_erased });
    verifyErasureReceipt(one.json().receipt, key);
    const missing = await f.request("GET", "/v1/erasures/ers_nothing", f.acme.admin);
    expect(problemOf(missing).code).toBe("ERASURE_NOT_FOUND");
  });

  it("shows erased values as the erased marker, and leaves other subjects alone", async () => {
    const ada = (await f.request("GET", `/v1/events/${adaEvent}`, f.acme.admin)).json();
    const [erasure] = (await f.request("GET", "/v1/erasures", f.acme.admin)).json().erasures as { id: string }[];
    const marker = { $erased: { erasure_id: erasure?.id, erased_at: expect.any(String) } };
    expect(ada.event.actor.name).toEqual(marker);
    expect(ada.event.context.ip).toEqual(marker);
    expect(ada.erased.map((e: { pointer: string }) => e.pointer).sort()).toEqual(["/actor/name", "/context/ip"]);
    expect(ada.withheld).toBeUndefined();
    // The leaf is untouched: the proof still verifies in the same tree.
    expect(ada.proof.inclusion.index).toBeTypeOf("number");
    const bob = (await f.request("GET", `/v1/events/${bobEvent}`, f.acme.admin)).json();
    expect(bob.event.actor.name).toBe(BOB_NAME);
  });

  it("answers a second erasure of the same subject with the first, shredding and logging nothing again", async () => {
    const asked = await f.request("POST", "/v1/erasures", f.acme.admin, { subject: { id: "usr_ada" } });
    expect(asked.statusCode).toBe(202);
    const again = await f.request("POST", `/v1/approvals/${asked.json().approval.id}/approve`, approver);
    expect(again.statusCode).toBe(200);
    expect(again.json().approval.outcome.already_erased).toBe(true);
    expect((await f.request("GET", "/v1/erasures", f.acme.admin)).json().erasures).toHaveLength(1);
    expect(again.json().approval.outcome.erasure.receipt).not.toBeNull();
  });

  it("writes a later value of an erased subject already erased", async () => {
    const res = await f.request("POST", "/v1/events", f.acme.ingest, {
      events: [validEvent("ers-ada-2", { actor: { type: "user", id: "usr_ada", name: ADA_NAME } })],
    });
    expect(res.statusCode).toBe(200);
    const later = (await f.request("GET", "/v1/events/ers-ada-2", f.acme.admin)).json();
    expect(later.event.actor.name).toHaveProperty("$erased");
  });

  it("completes an erasure that was shredded but never logged (a crash between the two) when asked again", async () => {
    await f.request("POST", "/v1/events", f.acme.ingest, {
      events: [validEvent("ers-carol-1", { actor: { type: "user", id: "usr_carol", name: "Carol" } })],
    });
    // Shredded as the route would, then stopped before erasure.complete.
    const shredded = await f.data.ledger.eraseSubject("acme", "usr_carol", {
      erasureId: "ers_crashed",
      requestedBy: f.keyIds.acme.admin,
      approvedBy: "someone",
    });
    expect(shredded.created).toBe(true);
    await f.data.ledger.publishCheckpoints();
    const broken = await trailproof(["verify", "--data", f.dataDir, "--tenant", "acme"]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain("erasure ers_crashed");
    expect(broken.stdout).toContain("no erasure.complete event");

    const asked = await f.request("POST", "/v1/erasures", f.acme.admin, { subject: { actor_id: "usr_carol" } });
    const done = await f.request("POST", `/v1/approvals/${asked.json().approval.id}/approve`, approver);
    expect(done.statusCode).toBe(200);
    const outcome = done.json().approval.outcome;
    expect(outcome).toMatchObject({ already_erased: true, erasure: { id: "ers_crashed" } });
    expect(outcome.erasure.receipt).not.toBeNull();
  });

  it("still verifies with trailproof verify --data, counting erased values apart", async () => {
    await f.data.ledger.publishCheckpoints();
    const res = await trailproof(["verify", "--data", f.dataDir, "--tenant", "acme"]);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^OK acme/);
    expect(res.stdout).toMatch(/[1-9]\d* personal values erased by 2 erasures/);
  });

  it("keeps personal values out of the raw files and the backup archive, and the master key out of the backup", async () => {
    const bytes = rawBytes(f.dataDir);
    for (const value of [ADA_NAME, ADA_IP, BOB_NAME]) expect(has(bytes, value), value).toBe(false);
    const out = join(mkdtempSync(join(tmpdir(), "trailproof-erasure-backup-")), "backup.tar.gz");
    const res = await trailproof(["backup", "--data", f.dataDir, "--out", out]);
    expect(res.code, res.stderr).toBe(0);
    const raw = readFileSync(out);
    // gzip's magic bytes: unpack it, so values are looked for in the files as archived.
    const archive = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
    for (const value of [ADA_NAME, ADA_IP, BOB_NAME]) expect(has(archive, value), value).toBe(false);
    const masterKey = readFileSync(join(f.dataDir, "master.key"), "utf8").trim();
    expect(has(archive, masterKey)).toBe(false);
    expect(has(archive, "master.key")).toBe(false);
  });
});
