// Bytes on disk of a directory tree (a data directory: the database, its
// -wal and -shm files, keys), as the soak reports the database's growth.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** Sum of the sizes of the regular files under `dir`; files that vanish while it walks count 0. */
export function dirBytes(dir: string): number {
  let total = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const path = join(dir, name);
    try {
      const st = statSync(path);
      total += st.isDirectory() ? dirBytes(path) : st.isFile() ? st.size : 0;
    } catch {
      // a checkpointed -wal or a rotated file removed between readdir and stat
    }
  }
  return total;
}
