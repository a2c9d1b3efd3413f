// A durable, bounded spool on local disk (Node): append-only segment files
// (spool-segments.ts). append() resolves only after the event's line is
// written and fdatasync'ed, so an event whose `enqueued` resolved survives
// SIGKILL of the process (and, with the directory fsynced at segment
// creation, a power cut on a disk that honours flushes). maxBytes bounds the
// events held; a segment is deleted once every event in it and before it was
// released, so the files may exceed it by about one segment of released lines.
import { closeSync, fsyncSync, mkdirSync, openSync, unlinkSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { SpoolError } from "./errors.js";
import { RoomWaiters } from "./room-waiters.js";
import type { Spool, SpooledEvent, WhenFull } from "./spool.js";
import { lockSpoolDir } from "./spool-lock.js";
import { readSegments, segmentPath } from "./spool-segments.js";

export interface FileSpoolOptions {
  /** Directory of the spool, created 0700 if missing. One process at a time (SPOOL_LOCKED otherwise). */
  dir: string;
  /** Most bytes of unreleased events held (default 64 MiB). */
  maxBytes?: number;
  /** When full: "block" (default) makes record()'s `enqueued` wait for room; "throw" makes record() throw SPOOL_FULL. */
  whenFull?: WhenFull;
  /** Size at which a new segment file is started (default maxBytes / 8, within 4 KiB and 8 MiB). */
  segmentBytes?: number;
}

interface Segment {
  seq: number;
  path: string;
  bytes: number;
  /** Events in this segment not yet released. */
  live: number;
}

interface Pending {
  line: string;
  bytes: number;
  /** Set for events; acknowledgements have none. */
  id?: string;
  done: (error?: Error) => void;
}

export class FileSpool implements Spool {
  readonly durable = true;
  readonly dir: string;
  readonly #maxBytes: number;
  readonly #segmentBytes: number;
  readonly #whenFull: WhenFull;
  readonly #unlock: () => void;
  readonly #segments: Segment[] = [];
  /** id -> segment and size of its unreleased lines, oldest first. */
  readonly #live = new Map<string, Array<{ seq: number; bytes: number }>>();
  /** Bytes of the unreleased event lines on disk. */
  #liveBytes = 0;
  readonly #waiters = new RoomWaiters();
  #recovered: SpooledEvent[];
  #handle: Promise<FileHandle>;
  #buffer: Pending[] = [];
  #writing: Promise<void> | undefined;
  /** Bytes appended but not yet on disk. */
  #reserved = 0;
  #pendingEvents = 0;
  #closed = false;

  constructor(options: FileSpoolOptions) {
    this.dir = options.dir;
    this.#maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.#whenFull = options.whenFull ?? "block";
    this.#segmentBytes =
      options.segmentBytes ?? Math.min(8 * 1024 * 1024, Math.max(4096, Math.floor(this.#maxBytes / 8)));
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.#unlock = lockSpoolDir(this.dir);
    try {
      const found = readSegments(this.dir);
      for (const s of found.segments) this.#segments.push({ ...s, live: 0 });
      for (const e of found.events) this.#addLive(e.id, e.seq, Buffer.byteLength(e.json) + 1);
      this.#recovered = found.events.map(({ id, json }) => ({ id, json }));
      // Always write into a fresh segment: recovered files are only ever read and deleted.
      const seq = (this.#segments.at(-1)?.seq ?? 0) + 1;
      this.#handle = this.#createSegment(seq);
      this.#handle.catch(() => undefined);
      // Segments a previous process fully released are deleted now, not at the first write.
      this.#kick();
    } catch (err) {
      this.#unlock();
      throw err;
    }
  }

  recovered(): SpooledEvent[] {
    const out = this.#recovered;
    this.#recovered = [];
    return out;
  }

  append(event: SpooledEvent): Promise<void> {
    if (this.#closed) throw new SpoolError("SPOOL_CLOSED", "the spool is closed");
    const line = `${event.json}\n`;
    const bytes = Buffer.byteLength(line);
    if (event.json.includes("\n")) throw new SpoolError("SPOOL_IO", "an event's JSON must be one line");
    if (bytes > this.#maxBytes) {
      throw new SpoolError("SPOOL_FULL", `an event of ${bytes} bytes can never fit a spool of ${this.#maxBytes} bytes`);
    }
    if (this.#waiters.length === 0 && this.#fits(bytes)) {
      this.#reserved += bytes;
      return this.#write({ line, bytes, id: event.id });
    }
    if (this.#whenFull === "throw") {
      throw new SpoolError("SPOOL_FULL", `spool ${this.dir} is full (${this.#used()} of ${this.#maxBytes} bytes)`);
    }
    return this.#waiters.wait(bytes).then(() => {
      if (this.#closed) throw new SpoolError("SPOOL_CLOSED", "the spool closed while waiting for room");
      return this.#write({ line, bytes, id: event.id });
    });
  }

  async release(ids: readonly string[]): Promise<void> {
    const released: string[] = [];
    for (const id of ids) {
      const lines = this.#live.get(id);
      const line = lines?.shift();
      if (line === undefined) continue;
      if (lines?.length === 0) this.#live.delete(id);
      const segment = this.#segments.find((s) => s.seq === line.seq);
      if (segment) segment.live -= 1;
      this.#liveBytes -= line.bytes;
      released.push(id);
    }
    if (released.length === 0 || this.#closed) return;
    this.#wake();
    const line = `${JSON.stringify({ ack: released })}\n`;
    await this.#write({ line, bytes: Buffer.byteLength(line) });
  }

  size(): { events: number; bytes: number } {
    let live = 0;
    for (const s of this.#segments) live += s.live;
    return { events: live + this.#pendingEvents, bytes: this.#used() };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Waiters are admitted and then refused with SPOOL_CLOSED.
    this.#waiters.wake(
      () => true,
      () => undefined,
    );
    while (this.#writing) await this.#writing;
    try {
      await (await this.#handle).close();
    } finally {
      this.#unlock();
    }
  }

  /** Bytes of events held: unreleased on disk, or appended and not yet written. */
  #used(): number {
    return this.#liveBytes + this.#reserved;
  }

  #wake(): void {
    this.#waiters.wake(
      (n) => this.#fits(n),
      (n) => {
        this.#reserved += n;
      },
    );
  }

  #fits(bytes: number): boolean {
    return this.#used() + bytes <= this.#maxBytes;
  }

  #addLive(id: string, seq: number, bytes: number): void {
    const lines = this.#live.get(id) ?? [];
    lines.push({ seq, bytes });
    this.#live.set(id, lines);
    this.#liveBytes += bytes;
    const segment = this.#segments.find((s) => s.seq === seq);
    if (segment) segment.live += 1;
  }

  #write(item: Omit<Pending, "done">): Promise<void> {
    if (item.id !== undefined) this.#pendingEvents += 1;
    return new Promise((resolve, reject) => {
      this.#buffer.push({ ...item, done: (error) => (error ? reject(error) : resolve()) });
      this.#kick();
    });
  }

  /** Runs the writer unless it runs already; it writes what is buffered, then compacts. */
  #kick(): void {
    this.#writing ??= this.#drain().finally(() => {
      this.#writing = undefined;
      if (this.#buffer.length > 0) this.#kick();
    });
  }

  /** Group commit: everything buffered goes out in one write and one fdatasync. Never rejects. */
  async #drain(): Promise<void> {
    while (this.#buffer.length > 0) {
      const group = this.#buffer;
      this.#buffer = [];
      let error: SpoolError | undefined;
      try {
        await this.#writeGroup(group);
      } catch (cause) {
        error = new SpoolError("SPOOL_IO", `writing to spool ${this.dir} failed`, { cause });
      }
      for (const p of group) {
        if (p.id === undefined) continue;
        this.#reserved -= p.bytes;
        this.#pendingEvents -= 1;
      }
      for (const p of group) p.done(error);
    }
    try {
      await this.#compact();
    } catch {
      // A segment that cannot be deleted now is deleted by a later compaction.
    }
    this.#wake();
  }

  async #writeGroup(group: Pending[]): Promise<void> {
    const bytes = group.reduce((n, p) => n + p.bytes, 0);
    let active = this.#segments.at(-1) as Segment;
    if (active.bytes > 0 && active.bytes + bytes > this.#segmentBytes) {
      await this.#rotate();
      active = this.#segments.at(-1) as Segment;
    }
    const handle = await this.#handle;
    await handle.write(group.map((p) => p.line).join(""));
    const events = group.filter((p) => p.id !== undefined);
    // Acknowledgements alone need no flush: if they are lost, the events are re-sent as duplicates.
    if (events.length > 0) await handle.datasync();
    active.bytes += bytes;
    for (const p of events) this.#addLive(p.id as string, active.seq, p.bytes);
  }

  async #rotate(): Promise<void> {
    const active = this.#segments.at(-1) as Segment;
    await (await this.#handle).close();
    this.#handle = this.#createSegment(active.seq + 1);
    await this.#handle;
  }

  /**
   * Deletes fully released segments from the head (never one behind a live
   * event: FIFO keeps recovery simple). When nothing is live, the active
   * segment is replaced by an empty one once it is half full.
   */
  async #compact(): Promise<void> {
    while (this.#segments.length > 1 && (this.#segments[0] as Segment).live === 0) {
      unlinkSync((this.#segments.shift() as Segment).path);
    }
    const active = this.#segments.at(-1) as Segment;
    const idle = this.#segments.length === 1 && active.live === 0 && this.#pendingEvents === 0;
    if (idle && active.bytes > this.#segmentBytes / 2) {
      await this.#rotate();
      this.#segments.shift();
      unlinkSync(active.path);
    }
  }

  /** Opens segment `seq` for appending and makes its directory entry durable. */
  #createSegment(seq: number): Promise<FileHandle> {
    const path = segmentPath(this.dir, seq);
    this.#segments.push({ seq, path, bytes: 0, live: 0 });
    return open(path, "a", 0o600).then((handle) => {
      const dirFd = openSync(this.dir, "r");
      try {
        fsyncSync(dirFd);
      } finally {
        closeSync(dirFd);
      }
      return handle;
    });
  }
}
