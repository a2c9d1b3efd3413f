// The create-stream form (admins): name, destination by type, format,
// filter (search syntax), personal mode and where to start. The API's
// problems show beside the fields they name; any other appears above the
// button, so every problem the server listed is on screen.
import { type FormEvent, useState } from "react";
import { useApi } from "../api/api-context.js";
import { ApiError } from "../api/api-error.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { SelectField } from "../components/SelectField.js";
import { bindDraft } from "./bind-draft.js";
import { DESTINATION_INPUTS, DestinationFields } from "./DestinationFields.js";
import { ProblemField } from "./ProblemField.js";
import {
  type DestinationType,
  type DraftField,
  emptyStreamDraft,
  fieldOf,
  type Problem,
  problemsByField,
  type StreamDraft,
  toNewStream,
} from "./stream-draft.js";
import { createStream, type StreamWithSecret } from "./streams-api.js";

const OWN_INPUTS: readonly DraftField[] = ["name", "filter"];

export function StreamForm({ onCreated }: { onCreated: (answer: StreamWithSecret) => void }) {
  const { api } = useApi();
  const [draft, setDraft] = useState<StreamDraft>(emptyStreamDraft);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<StreamDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const listed: readonly Problem[] = error instanceof ApiError ? (error.problem?.problems ?? []) : [];
  const problems = problemsByField(listed);
  const bind = bindDraft(draft, set, problems);
  const beside = new Set<DraftField>([...OWN_INPUTS, ...DESTINATION_INPUTS[draft.type]]);
  const elsewhere = listed.filter((p) => !beside.has(fieldOf(p.pointer)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const answer = await createStream(api, toNewStream(draft));
      setDraft(emptyStreamDraft());
      onCreated(answer);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="stack-form" aria-label="New stream" onSubmit={(e) => void submit(e)}>
      <ProblemField label="Stream name" {...bind("name")} placeholder="SOC SIEM" required />
      <SelectField
        label="Destination type"
        value={draft.type}
        onChange={(type) => set({ type: type as DestinationType })}
      >
        <option value="webhook">Webhook (HTTPS, signed NDJSON)</option>
        <option value="syslog">Syslog (RFC 5424 over TCP or TLS)</option>
        <option value="nats">NATS JetStream</option>
      </SelectField>
      <fieldset className="subfields">
        <legend>Destination</legend>
        <DestinationFields draft={draft} set={set} problems={problems} />
      </fieldset>
      <SelectField
        label="Format"
        value={draft.format}
        onChange={(format) => set({ format: format as StreamDraft["format"] })}
      >
        <option value="native">native: Trailproof JSON</option>
        <option value="ocsf">ocsf: OCSF events</option>
        <option value="cef">cef: ArcSight CEF</option>
      </SelectField>
      <ProblemField
        label="Filter"
        {...bind("filter")}
        placeholder="action:auth.* risk:high"
        hint="search syntax, as on the Events page; empty sends every entry"
      />
      <SelectField
        label="Personal data"
        value={draft.personal}
        onChange={(personal) => set({ personal: personal as StreamDraft["personal"] })}
      >
        <option value="drop">drop: people's ids read "redacted", personal values left out</option>
        <option value="pseudonymise">pseudonymise: the tenant's keyed pseudonym in their place</option>
      </SelectField>
      <SelectField
        label="Start"
        value={draft.start}
        onChange={(start) => set({ start: start as StreamDraft["start"] })}
      >
        <option value="now">now: entries from this stream's creation on</option>
        <option value="beginning">beginning: the whole log, then on</option>
      </SelectField>
      {error !== undefined && (listed.length === 0 || elsewhere.length > 0) && (
        <FormProblems error={error} problems={elsewhere} />
      )}
      {listed.length > elsewhere.length && (
        <p className="field-error" role="status">
          The stream was not created: see the problems beside the fields.
        </p>
      )}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        Create stream
      </button>
    </form>
  );
}

/** The error with its problems that name no input shown (or the error itself when it lists none). */
function FormProblems({ error, problems }: { error: unknown; problems: readonly Problem[] }) {
  if (problems.length === 0) return <ErrorNotice error={error} title="The stream was not created" />;
  return (
    <div className="notice notice-bad" role="alert">
      <strong>The stream was not created.</strong>
      <ul>
        {problems.map((p) => (
          <li key={`${p.pointer}:${p.message}`}>
            <code>{p.pointer.replace(/^\/body/, "") || "(the stream)"}</code> {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
