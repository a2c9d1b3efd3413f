// The syslog stream destination: RFC 5424 messages, octet-counting framed
// (RFC 6587), over TCP or TLS (RFC 5425). One connection, opened on the first
// send and again on the first send after it was lost.

import type { Socket } from "node:net";
import { hostname } from "node:os";
import { TrailproofError } from "@trailproof/core";
import type {
  DestinationContext,
  DestinationFactory,
  OutgoingMessage,
  StreamDestination,
  SyslogDestinationConfig,
} from "../../stream-types.js";
import { buildSyslogMessage, type SyslogMessageOptions } from "./build-syslog-message.js";
import { destinationFailed } from "./destination-failed.js";
import { frameMessage } from "./octet-counting.js";
import { openSyslogSocket } from "./open-syslog-socket.js";
import { resolveSyslogConfig, syslogConfigProblems } from "./syslog-config.js";
import { writeFrames } from "./write-frames.js";

/**
 * How long a batch the kernel took must stand with the connection up before
 * it counts as delivered. Syslog has no acknowledgement: a receiver that dies
 * after the kernel took our bytes shows as a FIN or RST one round trip after
 * it dies, and one that had not read them yet resets the connection at once.
 * Two seconds covers the round trip and the receiver's own hand-off to its
 * queue with a wide margin on any network a SIEM sits on. See docs/syslog.md.
 */
export const SYSLOG_SETTLE_MS = 2000;

export interface SyslogDestinationOptions {
  settleMs?: number;
  /** The HOSTNAME sent; the service host's name by default. */
  hostname?: string;
}

class SyslogDestination implements StreamDestination {
  readonly settleMs: number;
  #generation = 0;
  #socket: Socket | undefined;
  #closed = false;
  readonly #config: SyslogDestinationConfig;
  readonly #timeoutMs: number;
  readonly #message: SyslogMessageOptions;

  constructor(config: SyslogDestinationConfig, context: DestinationContext, options: SyslogDestinationOptions) {
    this.#config = config;
    this.#timeoutMs = context.timeoutMs;
    this.settleMs = options.settleMs ?? SYSLOG_SETTLE_MS;
    this.#message = {
      ...resolveSyslogConfig(config),
      hostname: options.hostname ?? hostname(),
      origin: context.origin,
    };
  }

  get generation(): number {
    return this.#generation;
  }

  async send(batch: readonly OutgoingMessage[]): Promise<void> {
    if (this.#closed) throw new TrailproofError("STREAM_DESTINATION_FAILED", "syslog destination is closed");
    if (batch.length === 0) return;
    // A connection the receiver closed may not have reported 'close' yet; it cannot carry this batch.
    if (this.#socket !== undefined && !this.#socket.writable) this.#socket.destroy();
    const socket = this.#socket?.writable ? this.#socket : await this.#connect();
    try {
      await writeFrames(socket, this.#frames(batch), this.#timeoutMs);
    } catch (err) {
      // What was written may be half a frame: this connection cannot carry another.
      socket.destroy();
      throw destinationFailed(`send to ${this.#config.host}:${this.#config.port}`, err);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket === undefined || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      socket.once("close", () => resolve());
      socket.destroy();
    });
  }

  *#frames(batch: readonly OutgoingMessage[]): Generator<Buffer> {
    for (const message of batch) yield frameMessage(buildSyslogMessage(message, this.#message));
  }

  async #connect(): Promise<Socket> {
    const socket = await openSyslogSocket(this.#config, this.#timeoutMs);
    if (this.#closed) {
      socket.destroy();
      throw new TrailproofError("STREAM_DESTINATION_FAILED", "syslog destination is closed");
    }
    // Errors end in 'close'; this listener only keeps an error event from being unhandled.
    socket.on("error", () => {});
    // Every connection that ends, but by close(), is a connection lost: what it carried may not have arrived.
    socket.once("close", () => {
      if (this.#socket === socket) this.#socket = undefined;
      if (!this.#closed) this.#generation += 1;
    });
    this.#socket = socket;
    return socket;
  }
}

/** Builds a syslog destination; throws STREAM_INVALID listing every problem of `config`. */
export function buildSyslogDestination(
  config: SyslogDestinationConfig,
  context: DestinationContext,
  options: SyslogDestinationOptions = {},
): StreamDestination {
  const problems = syslogConfigProblems(config);
  if (problems.length > 0) {
    throw new TrailproofError("STREAM_INVALID", "the syslog destination's configuration cannot be used", { problems });
  }
  return new SyslogDestination(config, context, options);
}

export const syslogDestination: DestinationFactory<SyslogDestinationConfig> = (config, context) =>
  buildSyslogDestination(config, context);
