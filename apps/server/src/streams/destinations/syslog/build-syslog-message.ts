// One RFC 5424 syslog message (section 6) for a stream message: header,
// the stream's STRUCTURED-DATA (origin, index, prev, event_id) and the
// formatted body as MSG, UTF-8 after a BOM (section 6.4).
import type { OutgoingMessage } from "../../stream-types.js";
import {
  headerField,
  MAX_APP_NAME_LENGTH,
  MAX_HOSTNAME_LENGTH,
  MAX_MSGID_LENGTH,
  NILVALUE,
  syslogTimestamp,
} from "./header-fields.js";
import { buildSdElement } from "./structured-data.js";
import { syslogPri, syslogSeverity } from "./syslog-severity.js";

/** RFC 5424 section 6.4: a MSG in UTF-8 starts with the byte order mark. */
const BOM = "\uFEFF";

export interface SyslogMessageOptions {
  /** 0-23. */
  facility: number;
  /** The sending host's name; "" for NILVALUE. */
  hostname: string;
  appName: string;
  /** Requires isPrivateSdId(sdId). */
  sdId: string;
  /** The tenant log's origin. */
  origin: string;
}

/**
 * `<PRI>1 TIMESTAMP HOSTNAME APP-NAME - MSGID [SD] BOM text`. PROCID is
 * NILVALUE: the service's process id means nothing to a receiver. `prev` is
 * left out for the stream's first message (prevIndex null), so a consumer
 * tells "first" from a value.
 */
export function buildSyslogMessage(message: OutgoingMessage, options: SyslogMessageOptions): string {
  const pri = syslogPri(options.facility, syslogSeverity(message.outcome, message.risk));
  const params: [string, string][] = [
    ["origin", options.origin],
    ["index", String(message.index)],
  ];
  if (message.prevIndex !== null) params.push(["prev", String(message.prevIndex)]);
  params.push(["event_id", message.eventId]);
  const header = [
    `<${pri}>1`,
    syslogTimestamp(message.occurredAt),
    headerField(options.hostname, MAX_HOSTNAME_LENGTH),
    headerField(options.appName, MAX_APP_NAME_LENGTH),
    NILVALUE,
    headerField(message.action, MAX_MSGID_LENGTH),
  ].join(" ");
  return `${header} ${buildSdElement(options.sdId, params)} ${BOM}${message.text}`;
}
