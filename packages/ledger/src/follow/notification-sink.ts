// The notification follower's sink (docs/notifications.md): for each
// committed alert.raise and report.generate entry naming channels
// (metadata.channel_ids), one delivery per enabled channel of the tenant,
// enqueued in the outbox atomically with the cursor's advance. It follows
// the log (log-follower.ts), never the ingest path; the worker that sends
// the deliveries runs in the server.
import { type JsonObject, type JsonValue, TrailproofError } from "@trailproof/core";
import type { StoredEntry } from "../store/log-store.js";
import type { NewDelivery, NotificationStore } from "../store/notification-store.js";
import type { FollowerSink } from "./log-follower.js";

/** The actions whose entries are delivered. */
export const NOTIFIED_ACTIONS: ReadonlySet<string> = new Set(["alert.raise", "report.generate"]);

const decoder = new TextDecoder();

export class NotificationSink implements FollowerSink {
  readonly name = "notifications";
  readonly #store: NotificationStore;
  readonly #tenantName: (tenantId: number) => Promise<string>;
  readonly #now: () => number;
  readonly #listeners: (() => void)[] = [];

  constructor(
    store: NotificationStore,
    tenantName: (tenantId: number) => Promise<string>,
    now: () => number = Date.now,
  ) {
    this.#store = store;
    this.#tenantName = tenantName;
    this.#now = now;
  }

  /** Calls `listener` after a batch that enqueued deliveries committed (the worker sends them then, not at its next poll). */
  onEnqueued(listener: () => void): void {
    this.#listeners.push(listener);
  }

  covered(tenantId: number): Promise<number> {
    return this.#store.followerCovered(tenantId);
  }

  async apply(tenantId: number, entries: readonly StoredEntry[]): Promise<void> {
    const first = entries[0];
    if (first === undefined) return;
    const sources: NewDelivery[] = [];
    for (const entry of entries) {
      const event = notifiedEvent(entry);
      if (event === undefined) continue;
      sources.push({
        kind: event.action,
        sourceEventId: entry.eventId,
        sourceIndex: entry.index,
        payload: notificationPayload(await this.#tenantName(tenantId), entry, event),
        channelIds: event.channelIds,
      });
    }
    await this.#store.enqueueFollowed(
      tenantId,
      first.index,
      first.index + entries.length,
      sources,
      new Date(this.#now()).toISOString(),
    );
    if (sources.length > 0) for (const listener of this.#listeners) listener();
  }
}

interface NotifiedEvent {
  action: string;
  event: Record<string, JsonValue>;
  metadata: Record<string, JsonValue>;
  channelIds: string[];
}

/** The entry's event when it is to be delivered; undefined otherwise (and for a pruned, blank leaf). */
function notifiedEvent(entry: StoredEntry): NotifiedEvent | undefined {
  if (entry.leafData.length === 0 || !mayBeNotified(entry.leafData)) return undefined;
  let event: unknown;
  try {
    event = JSON.parse(decoder.decode(entry.leafData));
  } catch (cause) {
    throw new TrailproofError("STORE_LEAF_MALFORMED", `leaf ${entry.index} is not JSON`, { cause });
  }
  if (!isObject(event) || typeof event.action !== "string" || !NOTIFIED_ACTIONS.has(event.action)) return undefined;
  const metadata = isObject(event.metadata) ? event.metadata : {};
  const ids = Array.isArray(metadata.channel_ids)
    ? metadata.channel_ids.filter((c): c is string => typeof c === "string")
    : [];
  if (ids.length === 0) return undefined;
  return { action: event.action, event, metadata, channelIds: ids };
}

function isObject(v: unknown): v is Record<string, JsonValue> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function pick(from: Record<string, JsonValue>, keys: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k];
  return out;
}

const ALERT_FIELDS = [
  "alert_id",
  "rule_id",
  "rule_version",
  "rule_type",
  "severity",
  "matched_event_ids",
  "matched_count",
  "group",
  "window_start",
  "window_end",
] as const;
const REPORT_FIELDS = ["report_id", "name", "period_from", "period_to", "checkpoint_size", "violations"] as const;

/**
 * The native payload (docs/notifications.md): what the entry says, without
 * its actor or context. An alert's message is free of personal data by
 * contract (catalogue-detect.ts); a report is named and counted, its rows
 * fetched from /v1/reports/{report_id} by a caller allowed to read them.
 */
export function notificationPayload(tenant: string, entry: StoredEntry, e: NotifiedEvent): JsonObject {
  const target = isObject(e.event.target) ? e.event.target : {};
  const common: JsonObject = {
    type: e.action,
    tenant,
    event_id: entry.eventId,
    index: entry.index,
    occurred_at: typeof e.event.occurred_at === "string" ? e.event.occurred_at : null,
    message: typeof e.event.message === "string" ? e.event.message : null,
  };
  if (e.action === "alert.raise") {
    return {
      ...common,
      alert: { ...pick(e.metadata, ALERT_FIELDS), rule_name: typeof target.name === "string" ? target.name : null },
    };
  }
  const report = pick(e.metadata, REPORT_FIELDS);
  const id = typeof e.metadata.report_id === "string" ? e.metadata.report_id : "";
  return { ...common, report: { ...report, path: `/v1/reports/${encodeURIComponent(id)}` } };
}

/**
 * The leaf is canonical JSON (RFC 8785: no spaces), so an entry to deliver
 * holds one of these texts; every other entry is passed over unparsed.
 */
const NOTIFIED_ACTION_BYTES = [...NOTIFIED_ACTIONS].map((action) => Buffer.from(`"action":"${action}"`));

function mayBeNotified(leafData: Uint8Array): boolean {
  const leaf = Buffer.from(leafData.buffer, leafData.byteOffset, leafData.byteLength);
  return NOTIFIED_ACTION_BYTES.some((text) => leaf.includes(text));
}
