// `trailproof mirror --tenant T --out DIR [--follow]`: writes the tenant's log
// as a C2SP tlog-tiles copy (docs/mirror.md) that any static file server or
// object store can serve and `trailproof verify --tiles` checks.
import { setTimeout as sleep } from "node:timers/promises";
import { TrailproofError } from "@trailproof/core";
import type { Command } from "commander";
import { addDatabaseOptions, type DatabaseFlags } from "../database-options.js";
import { MirrorSession } from "../mirror/mirror-session.js";
import { printJson, reportFailure } from "../output.js";
import { openReadStores, tenantNamed } from "../read-stores.js";

interface MirrorCliOptions extends DatabaseFlags {
  tenant: string;
  out: string;
  follow?: boolean;
  intervalMs: string;
}

export function registerMirrorCommand(program: Command): void {
  addDatabaseOptions(program.command("mirror"))
    .description(
      "write the tenant's newest signed checkpoint, hash tiles and entry bundles as static C2SP tlog-tiles files; full tiles are never rewritten",
    )
    .requiredOption("--tenant <name>", "tenant")
    .requiredOption("--out <dir>", "directory to write (created if missing); the same one again to bring it up to date")
    .option("--follow", "keep the copy current: mirror each new signed checkpoint until stopped (SIGINT, SIGTERM)")
    .option("--interval-ms <ms>", "with --follow: how often to look for a new checkpoint", "5000")
    .action(async (opts: MirrorCliOptions) => {
      const intervalMs = Number(opts.intervalMs);
      if (!Number.isSafeInteger(intervalMs) || intervalMs < 100) {
        throw new TrailproofError(
          "MIRROR_INVALID",
          "--interval-ms must be a whole number of milliseconds, 100 or more",
        );
      }
      const stores = await openReadStores(opts);
      let session: MirrorSession | undefined;
      try {
        const tenant = await tenantNamed(stores.log, opts.tenant);
        session = new MirrorSession(stores.log, tenant, opts.out, intervalMs);
        if (!opts.follow) {
          const r = await session.round();
          printJson({ tenant: opts.tenant, out: opts.out, tree_size: r.treeSize, published: r.published, ...r.counts });
          return;
        }
        await follow(session, opts, intervalMs);
      } finally {
        await session?.close();
        await stores.close();
      }
    });
}

/** Rounds until a signal: one JSON line per checkpoint published; a failed round is reported and retried. */
async function follow(session: MirrorSession, opts: MirrorCliOptions, intervalMs: number): Promise<void> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    while (!stop.signal.aborted) {
      try {
        const r = await session.round();
        if (r.published) {
          process.stdout.write(
            `${JSON.stringify({ tenant: opts.tenant, out: opts.out, tree_size: r.treeSize, ...r.counts })}\n`,
          );
        }
      } catch (err) {
        // A supervised loop: the failure is reported and the next round retries it.
        reportFailure(err);
      }
      await sleep(intervalMs, undefined, { signal: stop.signal }).catch(() => undefined);
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
