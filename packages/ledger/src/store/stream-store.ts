// SIEM streams at rest (docs/streams.md): each tenant's stream definitions,
// each with its destination's secret sealed under the master key, and each
// stream's durable cursor: the entries below `covered` have been delivered
// (or passed over by its filter), `lastSent` is the index of the last
// message delivered, the `prev_index` of the next one. The cursor only moves
// by compare-and-set, so two nodes following one stream deliver each batch
// at least once and never move the cursor backwards.
import type { JsonObject } from "@trailproof/core";

export type StreamStatus = "active" | "paused";

export interface StreamRecord {
  streamId: string;
  tenantId: number;
  name: string;
  destinationType: string;
  /** The destination's configuration, without its secret. */
  destination: JsonObject;
  format: string;
  /** The search-syntax filter ("" sends everything). */
  filter: string;
  /** How personal data leaves: "drop" or "pseudonymise". */
  personal: string;
  status: StreamStatus;
  hasSecret: boolean;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export interface StreamProgress {
  /** Entries below this index are delivered or filtered out. */
  covered: number;
  /** The index of the last message delivered; null before the first. */
  lastSent: number | null;
  /** Messages delivered so far. */
  delivered: number;
  lastDeliveredAt: string | null;
  /** The last failure, cleared by the next delivery. */
  lastError: string | null;
  lastErrorAt: string | null;
}

export interface StreamAdvance {
  /** The cursor before the batch (compare-and-set). */
  from: number;
  to: number;
  /** The last index sent in the batch; unchanged (the stored one) when the filter matched none. */
  lastSent: number | null;
  /** Messages in the batch. */
  delivered: number;
  at: string;
}

export interface StreamStore {
  /**
   * Stores a stream and its secret (sealed) when it has one. `cursor` is a
   * new stream's starting index, or a copied stream's whole progress
   * (`trailproof migrate`: lastSent is the next message's prev_index, so it
   * MUST travel with covered).
   */
  insertStream(record: StreamRecord, cursor: number | StreamProgress, secret: string | undefined): Promise<void>;
  findStream(tenantId: number, streamId: string): Promise<StreamRecord | undefined>;
  /** The tenant's streams, oldest first. */
  listStreams(tenantId: number): Promise<StreamRecord[]>;
  /** Pauses or resumes; the record after, undefined when there is no such stream. */
  setStatus(
    tenantId: number,
    streamId: string,
    status: StreamStatus,
    at: string,
    by: string,
  ): Promise<StreamRecord | undefined>;
  /** Replaces the destination's secret; false when there is no such stream. */
  setSecret(tenantId: number, streamId: string, secret: string, at: string, by: string): Promise<boolean>;
  /** The destination's secret, unsealed; undefined when it has none. */
  streamSecret(tenantId: number, streamId: string): Promise<string | undefined>;
  /** Removes the stream and its cursor; false when there is none. */
  deleteStream(tenantId: number, streamId: string): Promise<boolean>;

  progress(tenantId: number, streamId: string): Promise<StreamProgress | undefined>;
  /**
   * Moves the cursor from `advance.from` to `advance.to` and counts the
   * delivered messages, clearing the last error. A compare-and-set: when the
   * cursor is not at `from` (another node moved it, or the stream is gone),
   * throws FOLLOWER_CURSOR_MOVED and writes nothing.
   */
  advance(tenantId: number, streamId: string, advance: StreamAdvance): Promise<void>;
  /** Records a failed delivery (the cursor stays). */
  recordError(tenantId: number, streamId: string, error: string, at: string): Promise<void>;
}
