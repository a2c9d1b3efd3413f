// The checkpoint worker of SqliteCheckpointer, as source text run with
// `new Worker(source, { eval: true })` (the subtree-hash-worker-source.ts
// habit: it starts fast from both the TypeScript sources and dist/). It loads
// the driver from the path the main thread resolved, opens its own
// connection to each watched file and, every pollMs, reads the WAL's header
// from the -shm file (mxFrame at byte 16, nBackfill at byte 96, native byte
// order: https://www.sqlite.org/walformat.html) to decide whether to run
// PRAGMA wal_checkpoint(PASSIVE). PASSIVE takes no lock a writer waits for.
//
// A WAL restarts from its start only when a writer begins while every frame
// is backfilled, so once the WAL is past thresholdFrames the worker keeps
// checkpointing the few frames written meanwhile until that happens. If the
// file still outgrows truncateBytes, and PASSIVE has left at most
// TRUNCATE_TAIL frames, it runs TRUNCATE with a busy timeout of
// busyTimeoutMs: that blocks writers while it copies those few frames.
// Checkpoints copy only frames whose commits were fsynced, and the worker's
// connection is synchronous=FULL, so the database file is synced before the
// WAL is reused: a crash at any point loses no commit.

export const SQLITE_CHECKPOINT_WORKER_SOURCE = `
"use strict";
const { parentPort, workerData, threadId } = require("node:worker_threads");
const { closeSync, openSync, readSync, statSync } = require("node:fs");
const Database = require(workerData.driverPath);
const { thresholdFrames, pollMs, truncateBytes, busyTimeoutMs } = workerData;
const TRUNCATE_TAIL = 128;
const files = new Map();
const head = Buffer.alloc(100);

function frames(file) {
  try {
    if (file.shm === -1) file.shm = openSync(file.path + "-shm", "r");
    if (readSync(file.shm, head, 0, 100, 0) < 100) return null;
    return { max: head.readUInt32LE(16), backfilled: head.readUInt32LE(96) };
  } catch {
    return null;
  }
}

function walBytes(path) {
  try {
    return statSync(path + "-wal").size;
  } catch {
    return 0;
  }
}

function checkpoint(file, mode) {
  const t0 = performance.now();
  const row = file.db.pragma("wal_checkpoint(" + mode + ")")[0];
  const ms = performance.now() - t0;
  parentPort.postMessage({
    type: "checkpoint",
    path: file.path,
    mode,
    ms,
    busy: row.busy,
    log: row.log,
    checkpointed: row.checkpointed,
    threadId,
  });
  return row;
}

function tick() {
  for (const file of files.values()) {
    try {
      const f = frames(file);
      // No readable header: check the plain way, SQLite answers without work when the WAL is empty.
      if (f !== null && (f.max < thresholdFrames || f.backfilled >= f.max)) continue;
      const row = checkpoint(file, "PASSIVE");
      if (row.log - row.checkpointed <= TRUNCATE_TAIL && walBytes(file.path) > truncateBytes) {
        checkpoint(file, "TRUNCATE");
      }
    } catch (err) {
      parentPort.postMessage({ type: "error", path: file.path, message: String(err && err.message || err) });
    }
  }
}

parentPort.on("message", (m) => {
  if (m.type === "watch" && !files.has(m.path)) {
    try {
      const db = new Database(m.path, { fileMustExist: true });
      db.pragma("busy_timeout = " + busyTimeoutMs);
      db.pragma("synchronous = FULL");
      files.set(m.path, { path: m.path, db, shm: -1 });
    } catch (err) {
      parentPort.postMessage({ type: "error", path: m.path, message: String(err && err.message || err) });
    }
  } else if (m.type === "close") {
    clearInterval(timer);
    for (const file of files.values()) {
      if (file.shm !== -1) closeSync(file.shm);
      file.db.close();
    }
    files.clear();
    parentPort.close();
  }
});

const timer = setInterval(tick, pollMs);
`;
