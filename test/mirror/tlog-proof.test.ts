// GET /v1/events/{id}/proof over real HTTP (a server on a real SQLite data
// directory), verified offline by the built CLI: the proof verifies, with
// and without the event's JSON; it fails for another event, a changed proof
// hash, a changed leaf and a wrong key; a viewer may not fetch it; a pruned
// or unknown event is refused as the API documents.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromUtf8, toBase64 } from "@trailproof/core";
import { type DataDir, issueApiKey, openDataDir, provisionTenant } from "@trailproof/ledger";
import { buildApp, createMetrics, DEFAULT_CONFIG } from "@trailproof/server";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleEvents } from "../../apps/server/src/demo/sample-events.js";
import { trailproof } from "../run-cli.js";

let data: DataDir;
let app: FastifyInstance;
let base: string;
let work: string;
let key: string;
const keys = { auditor: "", viewer: "" };
const events = sampleEvents(20, { seed: 7, idPrefix: "pf-" });
const ids = events.map((e) => String(e.id));

async function get(path: string, credential: string) {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${credential}` } });
  return {
    status: res.status,
    type: res.headers.get("content-type") ?? "",
    disposition: res.headers.get("content-disposition") ?? "",
    text: await res.text(),
  };
}

function file(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "trailproof-tlog-proof-"));
  work = mkdtempSync(join(tmpdir(), "trailproof-tlog-proof-files-"));
  data = await openDataDir({ dataDir: dir, checkpointIntervalMs: 0 });
  const made = await provisionTenant(data.ledger, data.access, "acme", { createdBy: "test", unknownActions: "accept" });
  for (const role of ["auditor", "viewer"] as const) {
    keys[role] = (
      await issueApiKey(data.access, { tenantId: made.tenant.tenantId, role, name: role, createdBy: "test" })
    ).key;
  }
  await data.ledger.append("acme", events);
  await data.ledger.publishCheckpoints();
  key = (await data.ledger.verifierKeys("acme"))[0]?.verifier_key as string;
  app = await buildApp({
    ...data,
    config: { ...DEFAULT_CONFIG, dataDir: dir, checkpointIntervalMs: 0 },
    metrics: createMetrics(),
    logger: false,
  });
  base = await app.listen({ host: "127.0.0.1", port: 0 });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await data?.ledger.close();
});

describe("GET /v1/events/{id}/proof and trailproof verify --proof", () => {
  let proof = "";
  let leaf = "";
  let index = 0;
  let size = 0;

  beforeAll(async () => {
    const res = await get(`/v1/events/${ids[5]}/proof`, keys.auditor);
    expect(res.status).toBe(200);
    expect(res.type).toBe("text/plain; charset=utf-8");
    expect(res.disposition).toBe(`attachment; filename="${ids[5]}.tlog-proof"`);
    proof = res.text;
    const entry = await data.ledger.findEntry("acme", ids[5] as string);
    leaf = fromUtf8(entry?.leafData as Uint8Array);
    index = entry?.index as number;
    size = (await data.ledger.latestCheckpoint("acme")).treeSize;
  });

  it("answers the C2SP tlog-proof: header, the leaf in extra, index, proof hashes, then the checkpoint", async () => {
    const [head, checkpoint] = [proof.slice(0, proof.indexOf("\n\n")), proof.slice(proof.indexOf("\n\n") + 2)];
    const lines = head.split("\n");
    expect(lines[0]).toBe("c2sp.org/tlog-proof@v1");
    expect(lines[1]).toBe(`extra ${toBase64(new TextEncoder().encode(leaf))}`);
    expect(lines[2]).toBe(`index ${index}`);
    expect(lines.slice(3).every((l) => /^[A-Za-z0-9+/]{43}=$/.test(l))).toBe(true);
    expect(lines.length).toBeGreaterThan(3);
    expect(checkpoint).toBe((await data.ledger.latestCheckpoint("acme")).note);
  });

  it("verifies offline with the CLI, alone and against the event's JSON", async () => {
    const proofFile = file("ok.tlog-proof", proof);
    const alone = await trailproof(["verify", "--proof", proofFile, "--key", key]);
    expect(alone.stdout).toMatch(new RegExp(`^OK proof .*event "${ids[5]}" at index ${index} .* of size ${size}\\n$`));
    expect(alone.code).toBe(0);
    // The event as a reader holds it: any JSON layout, compared in RFC 8785 form.
    const eventFile = file("event.json", JSON.stringify(JSON.parse(leaf), null, 2));
    const matched = await trailproof(["verify", "--proof", proofFile, "--key", key, "--event", eventFile]);
    expect(matched.code).toBe(0);
  }, 60_000);

  it("fails for another event, a changed proof hash, a changed leaf and a wrong key", async () => {
    const proofFile = file("ok2.tlog-proof", proof);
    const other = await data.ledger.findEntry("acme", ids[6] as string);
    const otherEvent = file("other.json", fromUtf8(other?.leafData as Uint8Array));
    const r1 = await trailproof(["verify", "--proof", proofFile, "--key", key, "--event", otherEvent]);
    expect(r1.stdout).toMatch(/^FAILED proof .*: PROOF_INVALID/);
    expect(r1.code).toBe(1);

    const lines = proof.split("\n");
    const hash = lines[3] as string;
    lines[3] = `${hash[0] === "A" ? "B" : "A"}${hash.slice(1)}`;
    const r2 = await trailproof(["verify", "--proof", file("hash.tlog-proof", lines.join("\n")), "--key", key]);
    expect(r2.stdout).toMatch(/^FAILED proof .*: PROOF_ROOT_MISMATCH/);
    expect(r2.code).toBe(1);

    const changedLeaf = leaf.replace(`"id":"${ids[5]}"`, `"id":"${ids[5]}x"`);
    const tampered = proof.replace(/^extra .*$/m, `extra ${toBase64(new TextEncoder().encode(changedLeaf))}`);
    const r3 = await trailproof(["verify", "--proof", file("leaf.tlog-proof", tampered), "--key", key]);
    expect(r3.stdout).toMatch(/^FAILED proof .*: PROOF_ROOT_MISMATCH/);
    expect(r3.code).toBe(1);

    await data.ledger.createTenant("globex");
    const otherKey = (await data.ledger.verifierKeys("globex"))[0]?.verifier_key as string;
    const r4 = await trailproof(["verify", "--proof", proofFile, "--key", otherKey]);
    expect(r4.stdout).toMatch(/^FAILED proof .*: (NOTE_UNSIGNED|CHECKPOINT_ORIGIN_MISMATCH)/);
    expect(r4.code).toBe(1);

    const r5 = await trailproof(["verify", "--proof", file("junk.tlog-proof", "hello\n"), "--key", key]);
    expect(r5.stdout).toMatch(/^FAILED proof .*: PROOF_FORMAT_INVALID/);
    expect(r5.code).toBe(1);
  }, 90_000);

  it("refuses a viewer and an unknown event with problem details", async () => {
    const viewer = await get(`/v1/events/${ids[5]}/proof`, keys.viewer);
    expect(viewer.status).toBe(403);
    expect(viewer.type).toContain("application/problem+json");
    const unknown = await get("/v1/events/no-such-event/proof", keys.auditor);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text).code).toBe("EVENT_NOT_FOUND");
  });
});
