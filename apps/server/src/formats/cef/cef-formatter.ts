// The CEF stream format: one ArcSight Common Event Format line per message,
// `CEF:0|Trailproof|Trailproof|version|action|name|severity|extension`
// (docs/cef.md), meant to travel as a syslog message's MSG.
import type { MessageFormatter, StreamMessage } from "../../streams/stream-types.js";
import { escapeCefHeader, escapeCefValue } from "./cef-escape.js";
import { cefExtension } from "./cef-extension.js";
import { cefSeverity } from "./cef-severity.js";
import { PRODUCT_VERSION } from "./product-version.js";

export const CEF_VENDOR = "Trailproof";
export const CEF_PRODUCT = "Trailproof";

function text(object: unknown, key: string): string | undefined {
  const value = object !== null && typeof object === "object" ? (object as Record<string, unknown>)[key] : undefined;
  return typeof value === "string" ? value : undefined;
}

/**
 * A CEF formatter for `productVersion`. Signature ID is the action; Name is
 * the event's message, or the action when it has none.
 */
export function buildCefFormatter(productVersion: string): MessageFormatter {
  return (message: StreamMessage) => {
    const event = message.event;
    const action = text(event, "action") ?? "";
    const header = [
      "CEF:0",
      CEF_VENDOR,
      CEF_PRODUCT,
      productVersion,
      action,
      text(event, "message") ?? action,
      String(cefSeverity(text(event.outcome, "status"), text(event, "risk"))),
    ];
    const extension = cefExtension(message)
      .map(([key, value]) => `${key}=${escapeCefValue(value)}`)
      .join(" ");
    return `${header.map((h, i) => (i === 0 ? h : escapeCefHeader(h))).join("|")}|${extension}`;
  };
}

export const cefFormatter: MessageFormatter = buildCefFormatter(PRODUCT_VERSION);
