// The destinations and formats a stream may name (docs/streams.md), by the
// names its definition uses.
import { cefFormatter } from "../formats/cef/index.js";
import { nativeFormatter } from "../formats/native-format.js";
import { ocsfFormatter } from "../formats/ocsf/ocsf-formatter.js";
import { natsDestination } from "./destinations/nats/nats-destination.js";
import { syslogDestination } from "./destinations/syslog/index.js";
import { webhookDestination } from "./destinations/webhook/webhook-destination.js";
import type { StreamManagerDeps } from "./stream-manager.js";

export const defaultDestinations: StreamManagerDeps["destinations"] = {
  syslog: syslogDestination,
  nats: natsDestination,
  webhook: webhookDestination,
};

export const defaultFormatters: StreamManagerDeps["formatters"] = {
  native: nativeFormatter,
  ocsf: ocsfFormatter,
  cef: cefFormatter,
};
