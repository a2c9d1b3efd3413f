// The HTTPS webhook destination of a stream (docs/stream-webhooks.md): each
// batch is one POST of NDJSON, signed as the alert webhooks are
// (docs/notifications.md). A 2xx answer is delivery (settleMs 0); anything
// else throws, with the receiver's Retry-After when it gave one, and the
// stream sends the batch again after its backoff.
import { nodeHasher } from "@trailproof/ledger";
import { sendWebhook } from "../../../notify/send-webhook.js";
import { StreamDestinationError } from "../../destination-error.js";
import type {
  DestinationContext,
  DestinationFactory,
  OutgoingMessage,
  StreamDestination,
  WebhookDestinationConfig,
} from "../../stream-types.js";
import {
  buildBatchHeaders,
  buildNdjsonBody,
  NDJSON_CONTENT_TYPE,
  STREAM_BATCH_EVENT,
  webhookDeliveryId,
} from "./webhook-batch.js";

export const webhookDestination: DestinationFactory<WebhookDestinationConfig> = (config, context) =>
  new WebhookDestination(config, context);

/**
 * One stream's webhook sender. It holds no connection state of its own
 * (fetch pools connections), so generation never changes; memory is the one
 * batch's body in flight.
 */
class WebhookDestination implements StreamDestination {
  readonly settleMs = 0;
  readonly generation = 0;
  readonly #config: WebhookDestinationConfig;
  readonly #context: DestinationContext;
  #closed = false;

  constructor(config: WebhookDestinationConfig, context: DestinationContext) {
    this.#config = config;
    this.#context = context;
  }

  async send(batch: readonly OutgoingMessage[]): Promise<void> {
    if (this.#closed) throw new StreamDestinationError("destination closed");
    if (batch.length === 0) return;
    const { streamId, origin, secret, timeoutMs } = this.#context;
    // Unsigned batches are never sent: a receiver could not tell them from forged ones.
    if (secret === undefined) throw new StreamDestinationError("no signing secret");
    let body: string;
    try {
      body = buildNdjsonBody(batch);
    } catch (err) {
      throw new StreamDestinationError("a message is not one line", { cause: err });
    }
    const first = batch[0] as OutgoingMessage;
    const last = batch[batch.length - 1] as OutgoingMessage;
    const result = await sendWebhook(
      nodeHasher,
      {
        url: this.#config.url,
        secret,
        deliveryId: webhookDeliveryId(streamId, first.index, last.index),
        kind: STREAM_BATCH_EVENT,
        body,
        contentType: NDJSON_CONTENT_TYPE,
        headers: buildBatchHeaders(streamId, origin, batch),
      },
      timeoutMs,
    );
    if (result.ok) return;
    // result.error is short and carries neither the URL nor the secret (send-webhook.ts).
    throw new StreamDestinationError(result.error ?? "request failed", { retryAfterMs: result.retryAfterMs });
  }

  async close(): Promise<void> {
    // A POST in flight ends by its own timeout; nothing else is held.
    this.#closed = true;
  }
}
