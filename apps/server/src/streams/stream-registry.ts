// The destinations and formats a stream may name (docs/streams.md), by the
// names its definition uses.
import { cefFormatter } from "../formats/cef/index.js";
import { syslogDestination } from "./destinations/syslog/index.js";
import type { StreamManagerDeps } from "./stream-manager.js";

export const defaultDestinations: StreamManagerDeps["destinations"] = {
  syslog: syslogDestination,
};

export const defaultFormatters: StreamManagerDeps["formatters"] = {
  cef: cefFormatter,
};
