// Notifications (docs/notifications.md): a tenant's webhook channels, the
// durable outbox of deliveries the notification follower fills from the log
// (alert.raise, report.generate) and the operator's alerts, each delivery's
// attempts, and the follower's cursor. The worker that sends lives in the
// server; this store is what makes sending at-least-once and one node at a time.
import { createHash } from "node:crypto";
import type { JsonObject } from "@trailproof/core";

export type ChannelFormat = "native" | "slack";
export type DeliveryStatus = "pending" | "delivered" | "dead";

/**
 * A webhook channel. tenantId null: an operator channel (operator alerts).
 * The signing secret is not part of the record: it is written sealed under
 * the master key and read back only by channelSecret() and claimDue().
 */
export interface ChannelRecord {
  channelId: string;
  tenantId: number | null;
  name: string;
  kind: "webhook";
  format: ChannelFormat;
  url: string;
  enabled: boolean;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export interface ChannelChange {
  name?: string;
  format?: ChannelFormat;
  url?: string;
  enabled?: boolean;
  /** A new signing secret (rotation). */
  secret?: string;
  updatedAt: string;
  updatedBy: string;
}

export interface DeliveryRecord {
  deliveryId: string;
  tenantId: number | null;
  channelId: string;
  /** What raised it: alert.raise, report.generate, operator.alert. */
  kind: string;
  /** The log entry it comes from (null for an operator alert, which no tenant's log holds). */
  sourceEventId: string | null;
  sourceIndex: number | null;
  /** The native payload; the worker renders it for the channel's format when sending. */
  payload: JsonObject;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface NewDelivery {
  kind: string;
  sourceEventId: string | null;
  sourceIndex: number | null;
  payload: JsonObject;
  /** The channels named; deliveries go only to those that exist, belong to the tenant and are enabled. */
  channelIds: readonly string[];
}

export interface DeliveryAttempt {
  deliveryId: string;
  attempt: number;
  at: string;
  /** The receiver's HTTP status; null when no answer came (refused, timed out). */
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
}

/** A delivery claimed for sending, with what sending needs. */
export interface ClaimedDelivery extends DeliveryRecord {
  claimToken: string;
  url: string;
  format: ChannelFormat;
  secret: string;
}

/** What one attempt leads to. */
export interface AttemptOutcome {
  status: DeliveryStatus;
  /** When the next attempt is due (status pending). */
  nextAttemptAt: string;
  lastError: string | null;
}

export interface OutboxStats {
  pending: number;
  dead: number;
  /** created_at of the oldest pending delivery; null when none is pending. */
  oldestPendingAt: string | null;
}

/** What storing a copied row did. */
export type CopyOutcome = "inserted" | "updated" | "unchanged";

/** channel_missing: its channel was deleted, nowhere to send it. */
export type RedriveOutcome = "redriven" | "not_found" | "not_dead" | "channel_missing";

export interface NotificationStore {
  /** Stores a channel and its secret (sealed). */
  insertChannel(record: ChannelRecord, secret: string): Promise<void>;
  findChannel(tenantId: number | null, channelId: string): Promise<ChannelRecord | undefined>;
  /** The tenant's channels (null: the operator's), oldest first. */
  listChannels(tenantId: number | null): Promise<ChannelRecord[]>;
  /** Applies `change`; the record after it, undefined when there is no such channel. */
  updateChannel(tenantId: number | null, channelId: string, change: ChannelChange): Promise<ChannelRecord | undefined>;
  /**
   * Removes the channel. Its pending deliveries become dead ("channel
   * deleted"), so nothing is sent to a URL the admin removed. False if none.
   */
  deleteChannel(tenantId: number | null, channelId: string, at: string): Promise<boolean>;
  /** The channel's signing secret, unsealed (a test send). */
  channelSecret(tenantId: number | null, channelId: string): Promise<string | undefined>;

  /** Entries below this index of the tenant's log have been turned into deliveries. */
  followerCovered(tenantId: number): Promise<number>;
  /**
   * Enqueues one delivery per source and enabled channel of the tenant it
   * names, and moves the cursor from `from` to `to`, atomically. A
   * compare-and-set: if the cursor is not at `from`, throws
   * FOLLOWER_CURSOR_MOVED and writes nothing. Delivery ids come from the
   * source entry and the channel (deliveryIdOf), so enqueueing one twice is a no-op.
   */
  enqueueFollowed(
    tenantId: number,
    from: number,
    to: number,
    sources: readonly NewDelivery[],
    at: string,
  ): Promise<void>;
  /**
   * Stores a delivery copied from another store as it is (status, attempt
   * count, times; unclaimed) with its attempts, in one step: `trailproof
   * migrate`, so nothing is sent twice or skipped. Of a delivery id already
   * stored, only a pending one with fewer attempts than the copy is brought
   * forward (status, attempts, times, the attempts it lacks): a catch-up run
   * carries what the source sent since; anything else is left as it is.
   * Requires `attempts` to be the delivery's whole history.
   */
  insertDeliveryCopy(record: DeliveryRecord, attempts: readonly DeliveryAttempt[]): Promise<CopyOutcome>;
  /** Enqueues deliveries with ids given by the caller (operator alerts); an existing id is left alone. */
  enqueue(tenantId: number | null, deliveries: readonly (NewDelivery & { key: string })[], at: string): Promise<number>;

  /**
   * Claims up to `limit` pending deliveries due at `now` whose previous
   * claim (if any) ended, across tenants, until `until`. MUST be atomic
   * across nodes: a delivery is claimed by at most one caller while its
   * claim lasts. Deliveries of a deleted or disabled channel are not claimed.
   */
  claimDue(now: string, until: string, node: string, limit: number): Promise<ClaimedDelivery[]>;
  /**
   * Records an attempt and its outcome and releases the claim, only while
   * `claimToken` still holds it; false (nothing written) otherwise.
   */
  recordAttempt(
    delivery: { deliveryId: string; tenantId: number | null; claimToken: string },
    attempt: DeliveryAttempt,
    outcome: AttemptOutcome,
  ): Promise<boolean>;
  findDelivery(tenantId: number | null, deliveryId: string): Promise<DeliveryRecord | undefined>;
  /** Newest first. */
  listDeliveries(
    tenantId: number | null,
    options: { status?: DeliveryStatus; channelId?: string; limit: number },
  ): Promise<DeliveryRecord[]>;
  /** Oldest first. */
  listAttempts(tenantId: number | null, deliveryId: string): Promise<DeliveryAttempt[]>;
  /** A dead delivery becomes pending again, due at `at`, with its attempt count kept. */
  redrive(tenantId: number | null, deliveryId: string, at: string): Promise<RedriveOutcome>;
  /** Across tenants and the operator (metrics). */
  outboxStats(): Promise<OutboxStats>;
}

/** The delivery id of a source (the tenant's entry, or an operator alert's key) and a channel: `dlv_` + 32 hex. */
export function deliveryIdOf(tenantId: number | null, source: string, channelId: string): string {
  const digest = createHash("sha256")
    .update(JSON.stringify([tenantId, source, channelId]))
    .digest("hex");
  return `dlv_${digest.slice(0, 32)}`;
}

/** The source key of a log entry. */
export const entrySource = (index: number): string => `entry:${index}`;
