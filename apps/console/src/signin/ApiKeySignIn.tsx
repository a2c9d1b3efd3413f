// For operators and development: act with an API key instead of a person's
// session. The key stays in this tab's sessionStorage and is sent as a
// bearer header; it is gone when the tab closes.
import { type FormEvent, useState } from "react";
import { errorMessage } from "../api/api-error.js";
import { useSession } from "../auth/session.js";

export function ApiKeySignIn({ onDone }: { onDone: () => void }) {
  const { signInWithApiKey } = useSession();
  const [key, setKey] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError("");
    try {
      await signInWithApiKey(key.trim());
      onDone();
    } catch (err) {
      setError(`That key does not work: ${errorMessage(err)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="api-key-signin">
      <summary>Use an API key instead</summary>
      <form className="stack-form" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span className="field-label">API key</span>
          <input
            type="password"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            placeholder="tpk_…"
            autoComplete="off"
            required
          />
        </label>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-block" disabled={busy}>
          Use API key
        </button>
        <p className="muted small">For operators: the key is kept in this tab only and forgotten when it closes.</p>
      </form>
    </details>
  );
}
