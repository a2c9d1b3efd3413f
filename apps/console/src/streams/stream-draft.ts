// The create-stream form's draft and what it sends (protocol's NewStream),
// and the API's problems sorted by the field they name (their JSON pointers
// into the request, /body/destination/url and so on), so each shows beside
// its input and none is lost.
import type { NewStream } from "@trailproof/protocol";

export type DestinationType = "syslog" | "nats" | "webhook";

export interface StreamDraft {
  name: string;
  type: DestinationType;
  host: string;
  port: string;
  tls: boolean;
  caPem: string;
  appName: string;
  /** "" for the destination's default, else 0..23. */
  facility: string;
  /** Comma-separated nats:// URLs. */
  servers: string;
  subject: string;
  /** The NATS server's auth token; "" for none. */
  token: string;
  url: string;
  format: NonNullable<NewStream["format"]>;
  filter: string;
  personal: NonNullable<NewStream["personal"]>;
  start: NonNullable<NewStream["start"]>;
}

export function emptyStreamDraft(): StreamDraft {
  return {
    name: "",
    type: "webhook",
    host: "",
    port: "6514",
    tls: true,
    caPem: "",
    appName: "",
    facility: "",
    servers: "",
    subject: "",
    token: "",
    url: "",
    format: "native",
    filter: "",
    personal: "drop",
    start: "now",
  };
}

/** A whole number as a number; anything else as typed, so the server names it rather than the form guessing. */
function integerOrText(s: string): number | string {
  return /^\s*\d+\s*$/.test(s) ? Number(s) : s;
}

/**
 * The request body of POST /v1/streams. Fields of other destination types
 * are left out, optional ones when empty; nothing is validated here, the
 * server lists every problem at once.
 */
export function toNewStream(d: StreamDraft): NewStream {
  let destination: Record<string, unknown>;
  if (d.type === "syslog") {
    destination = { type: "syslog", host: d.host.trim(), port: integerOrText(d.port), tls: d.tls };
    // The CA field is hidden without TLS; what it held then is not sent.
    if (d.tls && d.caPem.trim() !== "") destination.ca_pem = d.caPem.trim();
    if (d.appName.trim() !== "") destination.app_name = d.appName.trim();
    if (d.facility !== "") destination.facility = integerOrText(d.facility);
  } else if (d.type === "nats") {
    const servers = d.servers
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    destination = { type: "nats", servers, subject: d.subject.trim() };
  } else {
    destination = { type: "webhook", url: d.url.trim() };
  }
  const body: Record<string, unknown> = {
    name: d.name.trim(),
    destination,
    format: d.format,
    filter: d.filter.trim(),
    personal: d.personal,
    start: d.start,
  };
  if (d.type === "nats" && d.token !== "") body.secret = d.token;
  // Schema-checked by the server: a port typed as text comes back as a listed problem.
  return body as unknown as NewStream;
}

/** The form's fields a problem can be shown beside; "" is the form as a whole. */
export type DraftField =
  | "name"
  | "host"
  | "port"
  | "tls"
  | "caPem"
  | "appName"
  | "facility"
  | "servers"
  | "subject"
  | "token"
  | "url"
  | "format"
  | "filter"
  | "personal"
  | "start"
  | "";

const BY_POINTER: [string, DraftField][] = [
  ["/body/name", "name"],
  ["/body/filter", "filter"],
  ["/body/format", "format"],
  ["/body/personal", "personal"],
  ["/body/start", "start"],
  ["/body/secret", "token"],
  ["/body/destination/host", "host"],
  ["/body/destination/port", "port"],
  ["/body/destination/tls", "tls"],
  ["/body/destination/ca_pem", "caPem"],
  ["/body/destination/app_name", "appName"],
  ["/body/destination/facility", "facility"],
  ["/body/destination/servers", "servers"],
  ["/body/destination/subject", "subject"],
  ["/body/destination/url", "url"],
];

/** The field a problem's pointer names (a pointer below it, /body/destination/servers/0, counts); "" when none. */
export function fieldOf(pointer: string): DraftField {
  for (const [prefix, field] of BY_POINTER) {
    if (pointer === prefix || pointer.startsWith(`${prefix}/`)) return field;
  }
  return "";
}

export interface Problem {
  pointer: string;
  message: string;
}

/** Problems grouped by field; those naming no field of the form are under "". */
export function problemsByField(problems: readonly Problem[]): Map<DraftField, Problem[]> {
  const grouped = new Map<DraftField, Problem[]>();
  for (const p of problems) {
    const field = fieldOf(p.pointer);
    grouped.set(field, [...(grouped.get(field) ?? []), p]);
  }
  return grouped;
}
