// Writes a file so that a crash leaves either the old or the new content,
// never a torn one: write a temporary file, fsync it, rename it over the
// target, fsync the directory. The witness's state depends on it: a state
// file lost or half written would let a restarted witness cosign a rollback.
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

export function writeFileDurably(path: string, data: string, mode = 0o600): void {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(temp, "w", mode);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  const dirFd = openSync(dir, "r");
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}
