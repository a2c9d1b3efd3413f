// One tenant's mirror over an open store: each round reads the newest signed
// checkpoint, has the engine's LogFollower apply the committed entries up to
// its size to the TileMirror sink, then publishes the checkpoint. The only
// loop here is the poll for a newer checkpoint; entries go through the follower.
import { mkdir } from "node:fs/promises";
import { TrailproofError } from "@trailproof/core";
import { LogFollower, type LogStore, type TenantRecord } from "@trailproof/ledger";
import { MirrorDirectory } from "./mirror-directory.js";
import { type MirrorCounts, TileMirror } from "./tile-mirror.js";

export interface MirrorRound {
  treeSize: number;
  /** Whether this round wrote a new checkpoint. */
  published: boolean;
  counts: MirrorCounts;
}

export class MirrorSession {
  readonly #store: LogStore;
  readonly #tenant: TenantRecord;
  readonly #out: string;
  readonly #mirror: TileMirror;
  readonly #follower: LogFollower;

  constructor(store: LogStore, tenant: TenantRecord, out: string, retryMs: number) {
    this.#store = store;
    this.#tenant = tenant;
    this.#out = out;
    this.#mirror = new TileMirror(store, new MirrorDirectory(out), tenant.origin);
    this.#follower = new LogFollower(store, this.#mirror, { retryMs });
  }

  /** Brings the directory up to the newest signed checkpoint. */
  async round(): Promise<MirrorRound> {
    await mkdir(this.#out, { recursive: true });
    const checkpoint = await this.#store.latestCheckpoint(this.#tenant.tenantId);
    if (!checkpoint) {
      throw new TrailproofError("CHECKPOINT_MISSING", `tenant ${this.#tenant.name} has no signed checkpoint`);
    }
    const before = { ...this.#mirror.counts };
    this.#mirror.setTarget(checkpoint);
    this.#follower.notify(this.#tenant.tenantId, checkpoint.treeSize);
    this.#mirror.lastFailure = undefined;
    try {
      await this.#follower.idle();
    } catch (err) {
      // The follower reports FOLLOWER_FAILED with the sink's message; the sink's own error has its code.
      throw this.#mirror.lastFailure ?? err;
    }
    const published = await this.#mirror.publish();
    const after = this.#mirror.counts;
    return {
      treeSize: checkpoint.treeSize,
      published,
      counts: {
        written: after.written - before.written,
        pruned: after.pruned - before.pruned,
        oversize: after.oversize - before.oversize,
      },
    };
  }

  close(): Promise<void> {
    return this.#follower.close();
  }
}
