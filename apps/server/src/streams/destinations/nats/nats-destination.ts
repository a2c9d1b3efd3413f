// The NATS JetStream destination of a stream (docs/nats.md): each message of
// a batch is published to the configured subject with a Nats-Msg-Id stable
// per stream and entry, so the server drops redeliveries within its
// duplicate window, and the batch resolves only when JetStream acked every
// message (an ack is delivery: settleMs 0).
import { type JetStreamClient, jetstream } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { StreamDestinationError } from "../../destination-error.js";
import type {
  DestinationContext,
  DestinationFactory,
  NatsDestinationConfig,
  OutgoingMessage,
  StreamDestination,
} from "../../stream-types.js";
import { describeNatsConnectFailure, describeNatsFailure } from "./nats-failure.js";
import { buildNatsHeaders, natsMsgId } from "./nats-headers.js";

interface Connected {
  nc: NatsConnection;
  js: JetStreamClient;
}

export const natsDestination: DestinationFactory<NatsDestinationConfig> = (config, context) =>
  new NatsDestination(config, context);

/**
 * One stream's publisher. It connects on the first send and keeps the
 * connection; the client never reconnects on its own (reconnect: false), so
 * nothing is buffered while the server is away: a lost connection fails the
 * send in flight, increments generation, and the next send connects afresh.
 * Memory is bounded by the batch: every publish of it is in flight at once,
 * and nothing else.
 */
class NatsDestination implements StreamDestination {
  readonly settleMs = 0;
  readonly #config: NatsDestinationConfig;
  readonly #context: DestinationContext;
  #generation = 0;
  /** The open connection, if any. */
  #current: Connected | undefined;
  /** A connect under way, if any. */
  #opening: Promise<Connected> | undefined;
  #closed = false;

  constructor(config: NatsDestinationConfig, context: DestinationContext) {
    this.#config = config;
    this.#context = context;
  }

  get generation(): number {
    return this.#generation;
  }

  async send(batch: readonly OutgoingMessage[]): Promise<void> {
    if (this.#closed) throw new StreamDestinationError("destination closed");
    if (batch.length === 0) return;
    const { nc, js } = await this.#connect();
    const { streamId, origin, timeoutMs } = this.#context;
    // Pipelined: every publish is on the wire before the first ack is awaited.
    const acks = batch.map((message) =>
      js.publish(this.#config.subject, message.text, {
        msgID: natsMsgId(streamId, message.index),
        headers: buildNatsHeaders(streamId, origin, message),
        timeout: timeoutMs,
      }),
    );
    // allSettled, not all: no ack is left pending unobserved when one fails.
    const results = await Promise.allSettled(acks);
    const failed = results.find((r) => r.status === "rejected");
    if (failed === undefined) return;
    const failure = describeNatsFailure(failed.reason);
    if (failure.dropConnection) {
      this.#lost(nc);
      await nc.close().catch(() => undefined);
    }
    throw new StreamDestinationError(failure.cause, { cause: failed.reason });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#opening?.catch(() => undefined);
    const current = this.#current;
    this.#current = undefined;
    if (current === undefined) return;
    const { nc } = current;
    // Drain flushes what was published; a server that does not answer within the timeout is closed on.
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#context.timeoutMs);
    });
    await Promise.race([nc.drain().catch(() => undefined), timedOut]);
    clearTimeout(timer);
    if (!nc.isClosed()) await nc.close().catch(() => undefined);
  }

  async #connect(): Promise<Connected> {
    if (this.#current !== undefined) return this.#current;
    if (this.#opening === undefined) {
      this.#opening = this.#open().finally(() => {
        this.#opening = undefined;
      });
    }
    return this.#opening;
  }

  async #open(): Promise<Connected> {
    const { secret, streamId, timeoutMs } = this.#context;
    let nc: NatsConnection;
    try {
      nc = await connect({
        servers: this.#config.servers,
        name: `trailproof stream ${streamId}`,
        reconnect: false,
        timeout: timeoutMs,
        ...(secret === undefined ? {} : { token: secret }),
      });
    } catch (err) {
      throw new StreamDestinationError(describeNatsConnectFailure(err), { cause: err });
    }
    const connected = { nc, js: jetstream(nc, { timeout: timeoutMs }) };
    if (this.#closed) {
      await nc.close().catch(() => undefined);
      throw new StreamDestinationError("destination closed");
    }
    this.#current = connected;
    // closed() resolves however the connection ends; one this destination still held was lost.
    void nc.closed().then(() => this.#lost(nc));
    return connected;
  }

  /** Forgets `nc` if it is the current connection, counting it lost: the next send connects afresh. */
  #lost(nc: NatsConnection): void {
    if (this.#current?.nc !== nc) return;
    this.#current = undefined;
    this.#generation += 1;
  }
}
