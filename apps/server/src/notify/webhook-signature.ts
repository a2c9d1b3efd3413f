// The webhook signature (docs/notifications.md): HMAC-SHA256 under the
// channel's secret over `${timestamp}.${body}`, sent as
// `Trailproof-Signature: t=<unix seconds>,v1=<hex>`. The timestamp inside the
// signed bytes lets a receiver refuse replays older than its window.
import { type Hasher, hmacSha256, toHex, utf8 } from "@trailproof/core";

export const SIGNATURE_HEADER = "trailproof-signature";
export const DELIVERY_HEADER = "trailproof-delivery";
export const EVENT_HEADER = "trailproof-event";

/** The Trailproof-Signature value of `body` sent at `unixSeconds`. */
export function signatureHeader(hasher: Hasher, secret: string, unixSeconds: number, body: string): string {
  const mac = hmacSha256(hasher, utf8(secret), utf8(`${unixSeconds}.${body}`));
  return `t=${unixSeconds},v1=${toHex(mac)}`;
}
