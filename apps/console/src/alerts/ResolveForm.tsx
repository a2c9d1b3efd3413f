// Resolving an alert takes a note: what was found and done, kept in the log.
import { type FormEvent, useState } from "react";

export function ResolveForm({ alertId, onResolve }: { alertId: string; onResolve: (note: string) => Promise<void> }) {
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await onResolve(note);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="resolve-form" aria-label={`Resolve ${alertId}`} onSubmit={(e) => void submit(e)}>
      <label className="field">
        <span className="field-label">Resolution note</span>
        <textarea value={note} onChange={(e) => setNote(e.target.value)} required rows={2} maxLength={1024} />
      </label>
      <button type="submit" className="btn btn-small" disabled={busy || note.trim() === ""}>
        Resolve
      </button>
    </form>
  );
}
