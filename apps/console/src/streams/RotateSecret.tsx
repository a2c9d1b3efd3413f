// Replacing a stream destination's secret (admins): a webhook gets a new
// signing secret, made by the server and shown once by the page; a NATS
// stream takes the new token typed here. Syslog has no secret, so nothing
// is drawn for it. The old secret stops at once, hence the confirmation.
import type { WireStream } from "@trailproof/protocol";
import { type FormEvent, useId, useState } from "react";
import { ConfirmButton } from "../components/ConfirmButton.js";

export function RotateSecret({
  stream,
  busy,
  onRotate,
}: {
  stream: WireStream;
  busy: boolean;
  /** Resolves true when the secret was replaced. */
  onRotate: (token?: string) => Promise<boolean>;
}) {
  const [token, setToken] = useState("");
  const id = useId();
  if (stream.destination.type === "webhook") {
    return (
      <ConfirmButton
        label="Rotate secret"
        confirmLabel="Confirm: replace the signing secret now"
        disabled={busy}
        onConfirm={() => void onRotate()}
      />
    );
  }
  if (stream.destination.type !== "nats") return null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await onRotate(token)) setToken("");
  };
  return (
    <form className="inline-form" aria-label="Rotate token" onSubmit={(e) => void submit(e)}>
      <label htmlFor={id} className="field-label">
        New NATS token
      </label>
      <input
        id={id}
        type="password"
        value={token}
        onChange={(e) => setToken(e.target.value)}
        required
        autoComplete="new-password"
      />
      <button type="submit" className="btn btn-small" disabled={busy}>
        Rotate secret
      </button>
    </form>
  );
}
