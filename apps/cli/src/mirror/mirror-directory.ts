// The mirror's files on disk, written so that a reader (a file server, an
// object-store sync) never sees a half-written one: each is written to a
// temporary file, flushed, and renamed into place. Tiles and entry bundles
// (partial ones included: a `.p/W` path always has the same bytes) are
// immutable: written once, never rewritten, and a differing file already
// there is refused, since that means the copy and the log disagree.
import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { equalBytes, TrailproofError } from "@trailproof/core";

export class MirrorDirectory {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  /** The file at `path`, or undefined when there is none. */
  async read(path: string): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await readFile(join(this.root, path)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
  }

  /** Writes an immutable resource once. Returns whether it wrote; MIRROR_INVALID if other bytes are there. */
  async writeImmutable(path: string, bytes: Uint8Array): Promise<boolean> {
    const existing = await this.read(path);
    if (existing !== undefined) {
      if (equalBytes(existing, bytes)) return false;
      throw new TrailproofError(
        "MIRROR_INVALID",
        `${join(this.root, path)} already holds other bytes than the log gives: the mirror and the log disagree; it is never rewritten`,
      );
    }
    await this.replace(path, bytes);
    return true;
  }

  /** Writes `path` atomically, replacing what is there (the checkpoint, the one mutable resource). */
  async replace(path: string, bytes: Uint8Array): Promise<void> {
    const target = join(this.root, path);
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
    const handle = await open(temp, "wx");
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } catch (err) {
      await handle.close();
      await rm(temp, { force: true });
      throw err;
    }
    await handle.close();
    await rename(temp, target);
  }
}
