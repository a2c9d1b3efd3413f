// One process per spool directory: a LOCK file holding the owner's pid. A lock
// left by a process that no longer runs (killed, crashed) is taken over;
// a live owner makes the second opener fail with SPOOL_LOCKED.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { SpoolError } from "./errors.js";

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the lock of `dir`; returns the function that gives it back. */
export function lockSpoolDir(dir: string): () => void {
  const path = join(dir, "LOCK");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(path, "utf8") === String(process.pid)) unlinkSync(path);
        } catch {
          // Already gone: nothing to give back.
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    let owner = Number.NaN;
    try {
      owner = Number(readFileSync(path, "utf8").trim());
    } catch {
      // Removed between our open and read: try again.
    }
    if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) {
      throw new SpoolError("SPOOL_LOCKED", `spool ${dir} is in use by process ${owner}`);
    }
    try {
      unlinkSync(path);
    } catch {
      // Another opener took it over first; the next attempt decides.
    }
  }
  throw new SpoolError("SPOOL_LOCKED", `spool ${dir} is being taken over by another process`);
}
