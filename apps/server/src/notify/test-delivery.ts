// A channel's test send (POST /v1/channels/{id}/test): one signed POST of a
// `channel.test` payload, answered with how the receiver took it.
import { randomBytes } from "node:crypto";
import type { ChannelRecord } from "@trailproof/ledger";
import type { ChannelTestResult } from "@trailproof/protocol";
import type { AppDeps } from "../deps.js";
import { renderPayload } from "./render-payload.js";
import { sendWebhook } from "./send-webhook.js";

export async function sendTest(
  deps: AppDeps,
  channel: ChannelRecord,
  secret: string,
  tenant: string,
): Promise<ChannelTestResult> {
  const deliveryId = `dlv_${randomBytes(16).toString("hex")}`;
  const payload = {
    type: "channel.test",
    tenant,
    channel_id: channel.channelId,
    message: `test notification for channel ${channel.name}`,
    sent_at: new Date().toISOString(),
  };
  const body = JSON.stringify(renderPayload(payload, channel.format, deliveryId));
  const result = await sendWebhook(
    deps.ledger.hasher,
    { url: channel.url, secret, deliveryId, kind: "channel.test", body },
    deps.config.notifyTimeoutMs,
  );
  return {
    delivered: result.ok,
    http_status: result.httpStatus,
    error: result.error,
    duration_ms: Math.round(result.durationMs),
    delivery_id: deliveryId,
  };
}
