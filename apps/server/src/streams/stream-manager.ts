// Runs a ledger's active streams (docs/streams.md): one follower of the
// engine's (ledger.follow, scoped to the stream's tenant and left out of
// ingest admission: a SIEM down for minutes must not slow ingest) per
// stream, each with its destination and sink. Where several nodes share a
// store, a stream runs on the node that holds its lease; each node looks
// its streams over every tick: it takes the lease of an active stream no
// node runs, stops one that another node paused or deleted, renews the
// leases it holds and tells its streams of other nodes' commits.
import { backoffDelayMs } from "@trailproof/client";
import { type JsonObject, TrailproofError } from "@trailproof/core";
import type { Ledger, LogFollower, StreamProgress, StreamRecord, StreamStore } from "@trailproof/ledger";
import { eventMatchesFilter, parseSearchQuery } from "@trailproof/protocol";
import { StreamProjection } from "./stream-projection.js";
import { StreamSink } from "./stream-sink.js";
import type {
  DestinationConfig,
  DestinationFactory,
  MessageFormatter,
  StreamDestination,
  StreamFormat,
  StreamPersonalMode,
} from "./stream-types.js";

export interface StreamManagerOptions {
  timeoutMs: number;
  backoff: { baseMs: number; capMs: number };
  batchEntries: number;
  /** 0: no tick (a test drives the manager). */
  tickMs: number;
  /** A stream's lease lasts this long unrenewed (default 3 ticks, at least 10 s). */
  leaseMs?: number;
}

export interface StreamManagerDeps {
  ledger: Ledger;
  streams: StreamStore;
  destinations: { [T in DestinationConfig["type"]]: DestinationFactory<Extract<DestinationConfig, { type: T }>> };
  formatters: Record<StreamFormat, MessageFormatter>;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

/** A stream's health (the stream page and /metrics). */
export interface StreamHealth {
  /** Whether this node runs it now (false: paused, or another node holds it). */
  running: boolean;
  /** Entries of the log not delivered (or passed over) yet. */
  lagEntries: number;
  /** How long ago the oldest entry not delivered was received; 0 when none is waiting. */
  lagSeconds: number;
  progress: StreamProgress;
}

interface Running {
  record: StreamRecord;
  follower: LogFollower;
  sink: StreamSink;
  destination: StreamDestination;
}

export class StreamManager {
  readonly #deps: StreamManagerDeps;
  readonly #options: StreamManagerOptions;
  readonly #running = new Map<string, Running>();
  /** Per stream, the start or stop in progress: one at a time. */
  readonly #busy = new Map<string, Promise<void>>();
  readonly #leaseMs: number;
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  #stopped = false;
  /** Messages delivered and failures, by stream, since this process started. */
  readonly counters = new Map<string, { delivered: number; failures: number; tenant: string }>();

  constructor(deps: StreamManagerDeps, options: StreamManagerOptions) {
    this.#deps = deps;
    this.#options = options;
    this.#leaseMs = options.leaseMs ?? Math.max(10_000, options.tickMs * 3);
  }

  /** Starts every active stream this node may run, then ticks. */
  async start(): Promise<void> {
    await this.tick();
    if (this.#options.tickMs > 0 && this.#timer === undefined && !this.#stopped) {
      this.#timer = setInterval(() => {
        this.#ticking ??= this.tick()
          .catch((err: unknown) => this.#deps.log.error({ err }, "looking the streams over failed; trying again"))
          .finally(() => {
            this.#ticking = undefined;
          });
      }, this.#options.tickMs);
      this.#timer.unref();
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#ticking;
    await Promise.all([...this.#running.keys()].map((id) => this.halt(id)));
  }

  /** Looks every tenant's streams over once (see the file's comment). */
  async tick(): Promise<void> {
    const { ledger, streams } = this.#deps;
    const wanted = new Map<string, StreamRecord>();
    for (const tenant of await ledger.listTenants()) {
      for (const s of await streams.listStreams(tenant.tenantId)) if (s.status === "active") wanted.set(s.streamId, s);
    }
    for (const id of [...this.#running.keys()]) if (!wanted.has(id)) await this.halt(id);
    for (const record of wanted.values()) {
      if (this.#stopped) return;
      const holds = await ledger.leases.acquire(this.#leaseName(record.streamId), ledger.nodeId, this.#leaseMs);
      const running = this.#running.get(record.streamId);
      if (!holds) {
        if (running) await this.halt(record.streamId);
        continue;
      }
      if (running === undefined) await this.run(record);
      else if (ledger.shared) running.follower.notify(record.tenantId, await ledger.store.treeSize(record.tenantId));
    }
  }

  /** Runs `record` on this node if it holds (or takes) its lease; a running stream is left as it is. */
  run(record: StreamRecord): Promise<void> {
    return this.#serial(record.streamId, async () => {
      if (this.#stopped || this.#running.has(record.streamId) || record.status !== "active") return;
      const { ledger } = this.#deps;
      if (!(await ledger.leases.acquire(this.#leaseName(record.streamId), ledger.nodeId, this.#leaseMs))) return;
      this.#running.set(record.streamId, await this.#open(record));
    });
  }

  /** Stops running the stream here (pause, delete, shutdown, another node's lease); what settled is saved. */
  halt(streamId: string): Promise<void> {
    return this.#serial(streamId, async () => {
      const r = this.#running.get(streamId);
      if (r === undefined) return;
      this.#running.delete(streamId);
      await this.#deps.ledger.unfollow(r.follower);
      await r.sink.close(r.record.tenantId);
      await r.destination.close().catch(() => undefined);
      await this.#deps.ledger.leases
        .release(this.#leaseName(streamId), this.#deps.ledger.nodeId)
        .catch(() => undefined);
    });
  }

  /** Stops and starts again with what the store holds now (a rotated secret). */
  async restart(record: StreamRecord): Promise<void> {
    await this.halt(record.streamId);
    await this.run(record);
  }

  isRunning(streamId: string): boolean {
    return this.#running.has(streamId);
  }

  /** The stream's health as this node sees it; undefined when the stream is gone. */
  async health(record: StreamRecord): Promise<StreamHealth | undefined> {
    const { ledger, streams } = this.#deps;
    const progress = await streams.progress(record.tenantId, record.streamId);
    if (progress === undefined) return undefined;
    const size = await ledger.store.treeSize(record.tenantId);
    const lagEntries = Math.max(0, size - progress.covered);
    let lagSeconds = 0;
    if (lagEntries > 0) {
      const [oldest] = await ledger.store.readEntries(record.tenantId, progress.covered, progress.covered + 1);
      if (oldest !== undefined) lagSeconds = Math.max(0, (Date.now() - oldest.receivedMs) / 1000);
    }
    return { running: this.#running.has(record.streamId), lagEntries, lagSeconds, progress };
  }

  #leaseName(streamId: string): string {
    return `stream:${streamId}`;
  }

  #serial(streamId: string, fn: () => Promise<void>): Promise<void> {
    const next = (this.#busy.get(streamId) ?? Promise.resolve()).then(fn);
    const settled = next.catch(() => undefined);
    this.#busy.set(streamId, settled);
    void settled.then(() => {
      if (this.#busy.get(streamId) === settled) this.#busy.delete(streamId);
    });
    return next;
  }

  async #open(record: StreamRecord): Promise<Running> {
    const { ledger, streams, destinations, formatters } = this.#deps;
    const tenant = (await ledger.listTenants()).find((t) => t.tenantId === record.tenantId);
    if (tenant === undefined) throw new TrailproofError("TENANT_NOT_FOUND", `stream ${record.streamId} has no tenant`);
    const config = record.destination as unknown as DestinationConfig;
    const factory = destinations[config.type] as DestinationFactory | undefined;
    const formatter = formatters[record.format as StreamFormat];
    if (factory === undefined || formatter === undefined) {
      throw new TrailproofError(
        "STREAM_INVALID",
        `stream ${record.streamId} names a destination or format this service lacks`,
      );
    }
    const destination = factory(config, {
      streamId: record.streamId,
      origin: tenant.origin,
      tenant: tenant.name,
      secret: await streams.streamSecret(record.tenantId, record.streamId),
      timeoutMs: this.#options.timeoutMs,
    });
    const filter = parseSearchQuery(record.filter);
    const sink = new StreamSink(
      { streamId: record.streamId, tenantId: record.tenantId, origin: tenant.origin },
      {
        store: streams,
        destination,
        formatter,
        projection: new StreamProjection(ledger, tenant.name, record.personal as StreamPersonalMode),
        matches: (event: JsonObject) => eventMatchesFilter(event, filter),
      },
    );
    const counter = { delivered: 0, failures: 0, tenant: tenant.name };
    this.counters.set(record.streamId, counter);
    sink.onDelivered = (n) => {
      counter.delivered += n;
    };
    sink.onFailed = (error) => {
      counter.failures += 1;
      this.#deps.log.warn(
        { stream: record.streamId, tenant: tenant.name, error },
        "stream delivery failed; backing off and sending again from its cursor",
      );
    };
    const backoff = this.#options.backoff;
    const follower = ledger.follow(sink, {
      tenantId: record.tenantId,
      countsForAdmission: false,
      batchEntries: this.#options.batchEntries,
      retryDelayMs: (failures) => Math.max(backoffDelayMs(failures - 1, backoff), sink.takeRetryAfterMs()),
    });
    sink.onRewind = () => follower.rewind(record.tenantId);
    follower.notify(record.tenantId, await ledger.store.treeSize(record.tenantId));
    return { record, follower, sink, destination };
  }
}
