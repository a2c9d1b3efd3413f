import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hasErrorCode } from "@trailproof/core";
import { afterEach, describe, expect, it } from "vitest";
import { events } from "./event-builders.js";
import { FileSpool } from "./file-spool.js";
import { deadUrl, type IngestServer, startIngestServer } from "./ingest-server.fixture.js";
import { TrailproofClient } from "./trailproof-client.js";

const open: FileSpool[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

function spoolAt(dir: string, options: Partial<ConstructorParameters<typeof FileSpool>[0]> = {}): FileSpool {
  const spool = new FileSpool({ dir, ...options });
  open.push(spool);
  return spool;
}

const tempDir = () => mkdtempSync(join(tmpdir(), "trailproof-spool-"));
const ev = (id: string, pad = 0) => ({ id, json: JSON.stringify({ id, action: "x.y", pad: "p".repeat(pad) }) });
const segments = (dir: string) => readdirSync(dir).filter((f) => f.startsWith("segment-"));

describe("FileSpool", () => {
  it("recovers unreleased events in order after the process is gone", async () => {
    const dir = tempDir();
    const first = spoolAt(dir);
    expect(first.recovered()).toEqual([]);
    await Promise.all(["a", "b", "c", "d"].map((id) => first.append(ev(id))));
    await first.release(["b"]);
    expect(first.size().events).toBe(3);
    await first.close();
    const second = spoolAt(dir);
    expect(second.recovered().map((e) => e.id)).toEqual(["a", "c", "d"]);
    expect(second.recovered()).toEqual([]);
    expect(second.size().events).toBe(3);
  });

  it("keeps the exact JSON text, so a re-send is byte for byte the first send", async () => {
    const dir = tempDir();
    const first = spoolAt(dir);
    const e = { id: "évt:1", json: '{"id":"évt:1","b":1,"a":[1,2]}' };
    await first.append(e);
    await first.close();
    expect(spoolAt(dir).recovered()).toEqual([e]);
  });

  it("cuts off a torn last line (a write that never completed) and refuses a corrupt earlier one", async () => {
    const dir = tempDir();
    const first = spoolAt(dir);
    await first.append(ev("a"));
    await first.close();
    const [segment] = segments(dir);
    const path = join(dir, segment as string);
    appendFileSync(path, '{"id":"torn","act');
    expect(
      spoolAt(dir)
        .recovered()
        .map((e) => e.id),
    ).toEqual(["a"]);
    expect(readFileSync(path, "utf8").endsWith("\n")).toBe(true);
    await open.pop()?.close();

    const bad = tempDir();
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, "segment-0000000001.ndjson"), 'not json\n{"id":"b"}\n');
    let thrown: unknown;
    try {
      new FileSpool({ dir: bad });
    } catch (err) {
      thrown = err;
    }
    expect(hasErrorCode(thrown, "SPOOL_CORRUPT")).toBe(true);
  });

  it("with whenFull 'throw', throws SPOOL_FULL synchronously and keeps what it has", async () => {
    const dir = tempDir();
    const spool = spoolAt(dir, { maxBytes: 4096, whenFull: "throw" });
    await spool.append(ev("a", 1500));
    await spool.append(ev("b", 1500));
    expect(() => spool.append(ev("c", 1500))).toThrow(expect.objectContaining({ code: "SPOOL_FULL" }));
    expect(() => spool.append(ev("huge", 9000))).toThrow(expect.objectContaining({ code: "SPOOL_FULL" }));
    expect(spool.size().events).toBe(2);
    await spool.release(["a", "b"]);
    await spool.append(ev("c", 1500));
    await spool.close();
    expect(
      spoolAt(dir)
        .recovered()
        .map((e) => e.id),
    ).toEqual(["c"]);
  });

  it("with whenFull 'block', makes append wait until released events make room", async () => {
    const dir = tempDir();
    const spool = spoolAt(dir, { maxBytes: 4096, segmentBytes: 1024 });
    await spool.append(ev("a", 1500));
    await spool.append(ev("b", 1500));
    let done = false;
    const blocked = spool.append(ev("c", 1500)).then(() => {
      done = true;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(done).toBe(false);
    await spool.release(["a"]);
    await blocked;
    expect(done).toBe(true);
    expect(spool.size().events).toBe(2);
  });

  it("deletes segments once everything in and before them is released", async () => {
    const dir = tempDir();
    const spool = spoolAt(dir, { segmentBytes: 1024 });
    for (let i = 0; i < 10; i++) await spool.append(ev(`e${i}`, 600));
    expect(segments(dir).length).toBeGreaterThan(5);
    await spool.release(["e1", "e2", "e3"]);
    expect(segments(dir).length).toBeGreaterThan(5);
    await spool.release(["e0"]);
    const afterHead = segments(dir).length;
    await spool.release(["e4", "e5", "e6", "e7", "e8", "e9"]);
    await spool.append(ev("next"));
    expect(segments(dir).length).toBeLessThan(afterHead);
    expect(spool.size().events).toBe(1);
  });

  it("lets one process at a time use a directory and takes over a dead owner's lock", async () => {
    const dir = tempDir();
    spoolAt(dir);
    expect(() => new FileSpool({ dir })).toThrow(expect.objectContaining({ code: "SPOOL_LOCKED" }));
    await open.pop()?.close();
    // A pid far above any pid_max belongs to no process: a lock left by a killed owner.
    writeFileSync(join(dir, "LOCK"), "2147483646");
    expect(spoolAt(dir).recovered()).toEqual([]);
  });
});

describe("TrailproofClient with a FileSpool", () => {
  let server: IngestServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it("re-sends on start what a previous client spooled but never got acknowledged", async () => {
    const dir = tempDir();
    const down = new TrailproofClient({
      url: await deadUrl(),
      apiKey: "tpk_test",
      spool: new FileSpool({ dir }),
      backoff: { baseMs: 10, capMs: 20 },
    });
    const pending = Array.from({ length: 5 }, (_, i) =>
      down.record(events.recordRead({ actor: { type: "user", id: "u" }, target: { type: "record", id: `r${i}` } })),
    );
    await Promise.all(pending.map((p) => p.enqueued));
    expect(down.stats()).toMatchObject({ recorded: 5, spooled: 5 });
    await down.close({ timeoutMs: 50 });
    await expect(pending[0]).rejects.toMatchObject({ code: "CLIENT_CLOSED" });

    server = await startIngestServer();
    const up = new TrailproofClient({ url: server.url, apiKey: "tpk_test", spool: new FileSpool({ dir }) });
    await up.flush();
    expect([...server.sealed.keys()]).toEqual(pending.map((p) => p.id));
    expect(up.stats()).toMatchObject({ recovered: 5, acknowledged: 5, pending: 0, spooled: 0 });
    await up.close();
  });
});
