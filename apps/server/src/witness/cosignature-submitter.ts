// Submits each tenant's newest signed checkpoint to every configured witness
// (C2SP tlog-witness add-checkpoint) with a consistency proof from the size
// that witness last cosigned (the store's record, or a 409's answer; 0 at
// first), verifies the cosignature it returns and stores it. A background
// loop, supervised: failures back off per (tenant, witness) with the SDK's
// backoff, reach /metrics and the service log, and never stop the loop.
// Of several nodes over one database only the holder of the submitter's
// lease submits, so a witness sees each checkpoint once, not once per node.
import { type BackoffOptions, backoffDelayMs } from "@trailproof/client";
import {
  addSignatureLines,
  type CosignatureVerifier,
  parseCosignerKey,
  portableHasher,
  verifyCosignatures,
} from "@trailproof/core";
import type { CheckpointRow, CosignatureStore, LeaseStore, Ledger, TenantRecord } from "@trailproof/ledger";
import { addCheckpoint } from "./add-checkpoint-client.js";
import type { WitnessConfig } from "./witness-config.js";
import type { WitnessFailureReason, WitnessMetrics } from "./witness-metrics.js";

export interface SubmitterLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface CosignatureSubmitterOptions {
  ledger: Ledger;
  cosignatures: CosignatureStore;
  witnesses: readonly WitnessConfig[];
  metrics: WitnessMetrics;
  log: SubmitterLog;
  /** How often the newest checkpoints are looked at; 0 turns the loop off (tick() still works). */
  intervalMs: number;
  backoff?: BackoffOptions;
  now?: () => number;
  /** Who submits among several nodes (default: the ledger's leases and node id). */
  leases?: LeaseStore;
  nodeId?: string;
  /** How long a round's lease lasts (default: three intervals, at least 10 s): a dead holder's is taken over after it. */
  leaseMs?: number;
}

/** The lease whose holder submits for every tenant. */
export const WITNESS_SUBMITTER_LEASE = "witness-submitter";

interface Progress {
  /** The size this witness last cosigned, as far as the service knows. */
  size: number | undefined;
  failures: number;
  retryAt: number;
}

const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, capMs: 300_000 };
/** 409s followed in one submission (each names a new size to start from). */
const MAX_CONFLICTS = 2;

class SubmitFailure extends Error {
  constructor(
    readonly reason: WitnessFailureReason,
    message: string,
  ) {
    super(message);
  }
}

export class CosignatureSubmitter {
  readonly #o: CosignatureSubmitterOptions;
  readonly #verifiers: Map<string, CosignatureVerifier>;
  readonly #progress = new Map<string, Progress>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(options: CosignatureSubmitterOptions) {
    this.#o = options;
    this.#verifiers = new Map(
      options.witnesses.map((w) => [w.verifierKey, parseCosignerKey(portableHasher, w.verifierKey)]),
    );
  }

  start(): void {
    if (this.#o.intervalMs <= 0 || this.#o.witnesses.length === 0 || this.#timer) return;
    this.#timer = setInterval(() => {
      this.#running ??= this.tick()
        .catch((err: unknown) => this.#o.log.error({ err }, "witness submission round failed"))
        .finally(() => {
          this.#running = undefined;
        });
    }, this.#o.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
    // Another node takes over at its next round, not after the lease runs out.
    await this.#leases().release(WITNESS_SUBMITTER_LEASE, this.#nodeId());
  }

  /** One round: every tenant's newest checkpoint to every witness that has not cosigned it (and is not backing off). */
  async tick(): Promise<void> {
    const leaseMs = this.#o.leaseMs ?? Math.max(10_000, this.#o.intervalMs * 3);
    if (!(await this.#leases().acquire(WITNESS_SUBMITTER_LEASE, this.#nodeId(), leaseMs))) return;
    for (const tenant of await this.#o.ledger.store.listTenants()) {
      const checkpoint = await this.#o.ledger.store.latestCheckpoint(tenant.tenantId);
      if (!checkpoint) continue;
      const have = new Set(
        (await this.#o.cosignatures.cosignaturesAt(tenant.tenantId, checkpoint.treeSize)).map((c) => c.witnessKey),
      );
      const stored = await this.#o.cosignatures.latestCosigned(tenant.tenantId);
      for (const witness of this.#o.witnesses) {
        if (have.has(witness.verifierKey)) continue;
        const key = `${tenant.tenantId}\u0000${witness.verifierKey}`;
        const p = this.#progress.get(key) ?? { size: stored.get(witness.verifierKey), failures: 0, retryAt: 0 };
        this.#progress.set(key, p);
        if (this.#now() < p.retryAt) continue;
        try {
          await this.#submit(tenant, checkpoint, witness, p);
          p.failures = 0;
          p.retryAt = 0;
        } catch (err) {
          const failure = err instanceof SubmitFailure ? err : new SubmitFailure("error", String(err));
          if (!(err instanceof SubmitFailure)) this.#o.log.error({ err }, "witness submission failed");
          p.retryAt = this.#now() + backoffDelayMs(p.failures, this.#o.backoff ?? DEFAULT_BACKOFF);
          p.failures += 1;
          this.#o.metrics.failures.inc({ tenant: tenant.name, witness: witness.name, reason: failure.reason });
          const entry = {
            tenant: tenant.name,
            witness: witness.name,
            treeSize: checkpoint.treeSize,
            reason: failure.reason,
          };
          // A fork is a witness saying the log is inconsistent: loud.
          if (failure.reason === "fork") this.#o.log.error(entry, `witness refused the checkpoint: ${failure.message}`);
          else this.#o.log.warn(entry, `witness submission failed: ${failure.message}`);
        }
      }
    }
  }

  #leases(): LeaseStore {
    return this.#o.leases ?? this.#o.ledger.leases;
  }

  #nodeId(): string {
    return this.#o.nodeId ?? this.#o.ledger.nodeId;
  }

  #now(): number {
    return (this.#o.now ?? Date.now)();
  }

  async #submit(tenant: TenantRecord, checkpoint: CheckpointRow, witness: WitnessConfig, p: Progress): Promise<void> {
    const size = checkpoint.treeSize;
    for (let conflicts = 0; ; conflicts++) {
      const old = p.size ?? 0;
      if (old > size) {
        throw new SubmitFailure("fork", `the witness cosigned size ${old}, larger than this log's checkpoint ${size}`);
      }
      const proof = old > 0 && old < size ? await this.#o.ledger.consistencyProof(tenant.name, old, size) : [];
      const reply = await addCheckpoint(witness.url, old, proof, checkpoint.note).catch((err: unknown) => {
        throw new SubmitFailure("unreachable", err instanceof Error ? err.message : String(err));
      });
      if (reply.kind === "conflict") {
        if (reply.size === old) {
          throw new SubmitFailure("fork", `409 at size ${old}: the witness holds another root hash for it`);
        }
        p.size = reply.size;
        if (conflicts + 1 >= MAX_CONFLICTS) {
          throw new SubmitFailure("conflict", `409 again: the witness's latest cosigned size is ${reply.size}`);
        }
        continue;
      }
      if (reply.kind === "refused") {
        const reason = reply.status === 422 ? "fork" : "refused";
        throw new SubmitFailure(reason, `${reply.status}: ${reply.message}`);
      }
      const verifier = this.#verifiers.get(witness.verifierKey) as CosignatureVerifier;
      let found: ReturnType<typeof verifyCosignatures>;
      try {
        found = verifyCosignatures(addSignatureLines(checkpoint.note, reply.lines), [verifier]);
      } catch (err) {
        throw new SubmitFailure("bad_cosignature", err instanceof Error ? err.message : String(err));
      }
      const [cosignature] = found;
      if (!cosignature)
        throw new SubmitFailure("bad_cosignature", "the answer has no cosignature by the configured key");
      await this.#o.cosignatures.putCosignature({
        tenantId: tenant.tenantId,
        treeSize: size,
        witnessKey: witness.verifierKey,
        line: cosignature.line,
        timestamp: Number(cosignature.timestamp),
        receivedAt: new Date(this.#now()).toISOString(),
      });
      p.size = size;
      this.#o.metrics.cosignedSize.set({ tenant: tenant.name, witness: witness.name }, size);
      return;
    }
  }
}
