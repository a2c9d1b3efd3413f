// What a delivery's body is for its channel's format (docs/notifications.md):
// the native payload as stored in the outbox, or a Slack-compatible message
// ({text, blocks}) built from it for Slack incoming webhooks and look-alikes.
import type { JsonObject, JsonValue } from "@trailproof/core";
import type { ChannelFormat } from "@trailproof/ledger";

export function renderPayload(payload: JsonObject, format: ChannelFormat, deliveryId: string): JsonObject {
  const native: JsonObject = { delivery_id: deliveryId, ...payload };
  return format === "slack" ? slackMessage(native) : native;
}

const str = (v: JsonValue | undefined): string => (typeof v === "string" || typeof v === "number" ? String(v) : "");
const obj = (v: JsonValue | undefined): JsonObject =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? v : {};

/** Slack's mrkdwn treats &, < and > as markup: escape what the payload carries. */
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function slackMessage(p: JsonObject): JsonObject {
  const type = str(p.type);
  let title: string;
  const fields: [string, string][] = [["Tenant", str(p.tenant)]];
  if (type === "alert.raise") {
    const a = obj(p.alert);
    title = `:rotating_light: Alert (${str(a.severity) || "unknown"}): ${str(a.rule_name) || str(a.rule_id)}`;
    fields.push(
      ["Rule", `${str(a.rule_id)} v${str(a.rule_version)} (${str(a.rule_type)})`],
      [
        "Matched events",
        str(a.matched_count) || String(Array.isArray(a.matched_event_ids) ? a.matched_event_ids.length : 0),
      ],
      ["Alert", str(a.alert_id)],
    );
  } else if (type === "report.generate") {
    const r = obj(p.report);
    title = `:page_facing_up: Report ready: ${str(r.name)}`;
    fields.push(
      ["Period", `${str(r.period_from)} to ${str(r.period_to)}`],
      ["Violations", str(r.violations)],
      ["Fetch", str(r.path)],
    );
  } else if (type === "operator.alert") {
    title = `:warning: Trailproof operator alert: ${str(p.alert_kind)}`;
  } else {
    title = `Trailproof notification: ${type}`;
  }
  const message = str(p.message);
  const text = message ? `${title}\n${message}` : title;
  return {
    text: esc(text),
    blocks: [
      { type: "header", text: { type: "plain_text", text: title.slice(0, 150) } },
      ...(message ? [{ type: "section", text: { type: "mrkdwn", text: esc(message) } }] : []),
      {
        type: "section",
        fields: fields.filter(([, v]) => v !== "").map(([k, v]) => ({ type: "mrkdwn", text: `*${k}*\n${esc(v)}` })),
      },
      { type: "context", elements: [{ type: "mrkdwn", text: `delivery ${str(p.delivery_id)}` }] },
    ],
  };
}
