// The destination part of the stream form, by type: syslog (host, port, TLS,
// a CA, app name, facility; docs/syslog.md), NATS JetStream (servers,
// subject, token; docs/nats.md) or a webhook (its URL; docs/stream-webhooks.md).
import { SelectField } from "../components/SelectField.js";
import { bindDraft } from "./bind-draft.js";
import { ProblemField } from "./ProblemField.js";
import type { DraftField, Problem, StreamDraft } from "./stream-draft.js";

/** RFC 5424 section 6.2.1 facility codes. */
const FACILITIES = [
  "kern",
  "user",
  "mail",
  "daemon",
  "auth",
  "syslog",
  "lpr",
  "news",
  "uucp",
  "cron",
  "authpriv",
  "ftp",
  "ntp",
  "security (log audit)",
  "console (log alert)",
  "clock",
  "local0",
  "local1",
  "local2",
  "local3",
  "local4",
  "local5",
  "local6",
  "local7",
];

/** The fields each type shows an input (and so its problems) for; problems of any other field go to the form's list. */
export const DESTINATION_INPUTS: Record<StreamDraft["type"], readonly DraftField[]> = {
  webhook: ["url"],
  nats: ["servers", "subject", "token"],
  syslog: ["host", "port", "caPem", "appName"],
};

export function DestinationFields({
  draft,
  set,
  problems,
}: {
  draft: StreamDraft;
  set: (patch: Partial<StreamDraft>) => void;
  problems: Map<DraftField, Problem[]>;
}) {
  const bind = bindDraft(draft, set, problems);
  if (draft.type === "webhook") {
    return (
      <ProblemField
        label="Webhook URL"
        type="url"
        {...bind("url")}
        placeholder="https://siem.example.com/trailproof"
        hint="NDJSON batches, each signed with the stream's secret (shown once when the stream is created)."
        required
      />
    );
  }
  if (draft.type === "nats") {
    return (
      <>
        <ProblemField
          label="NATS servers"
          {...bind("servers")}
          placeholder="nats://nats-1:4222, nats://nats-2:4222"
          hint="nats:// URLs separated by commas, without credentials"
          required
        />
        <ProblemField label="Subject" {...bind("subject")} placeholder="audit.trailproof" required />
        <ProblemField
          label="Token"
          type="password"
          {...bind("token")}
          hint="the server's auth token; leave empty for none. It is kept sealed and never shown again."
        />
      </>
    );
  }
  return (
    <>
      <ProblemField label="Syslog host" {...bind("host")} placeholder="siem.example.com" required />
      <ProblemField label="Port" {...bind("port")} hint="6514 for TLS, 601 for plain TCP" required />
      <label className="checkbox">
        <input type="checkbox" checked={draft.tls} onChange={(e) => set({ tls: e.target.checked })} />
        <span>TLS (RFC 5425); unticked: plain TCP</span>
      </label>
      {draft.tls && (
        <ProblemField
          label="CA certificate (PEM)"
          multiline
          {...bind("caPem")}
          placeholder="-----BEGIN CERTIFICATE-----"
          hint="the CA the server's certificate must chain to; empty: the system's roots"
        />
      )}
      <ProblemField
        label="App name"
        {...bind("appName")}
        placeholder="trailproof"
        hint="APP-NAME of each message; empty for the default"
      />
      <SelectField label="Facility" value={draft.facility} onChange={(facility) => set({ facility })}>
        <option value="">Default (13, log audit)</option>
        {FACILITIES.map((name, code) => (
          <option key={name} value={String(code)}>
            {code} {name}
          </option>
        ))}
      </SelectField>
    </>
  );
}
