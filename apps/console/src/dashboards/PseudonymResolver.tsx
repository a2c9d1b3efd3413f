// Who a pseudonym stands for (auditors and admins): the dashboards count
// people by pseudonym; resolving one asks for a reason, and the service
// records the resolution in the tenant's log (docs/api.md#pseudonyms).
import { type FormEvent, useState } from "react";
import { useApi } from "../api/api-context.js";
import { ErrorNotice } from "../components/ErrorNotice.js";

interface Resolution {
  pseudonym: string;
  id: string;
}

export function PseudonymResolver() {
  const { api } = useApi();
  const [pseudonym, setPseudonym] = useState("");
  const [reason, setReason] = useState("");
  const [result, setResult] = useState<Resolution | null>(null);
  const [error, setError] = useState<unknown>(null);

  const resolve = async (e: FormEvent) => {
    e.preventDefault();
    setResult(null);
    setError(null);
    try {
      setResult(await api.send<Resolution>("POST", "/v1/pseudonyms/resolve", { pseudonym: pseudonym.trim(), reason }));
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="resolve-title" className="card">
      <h2 id="resolve-title" className="card-title">
        Resolve a pseudonym
      </h2>
      <p className="muted">
        Dashboards show people as pseudonyms. Resolving one is recorded in the audit log with your reason.
      </p>
      <form onSubmit={(e) => void resolve(e)} className="stack-form">
        <label className="field">
          <span className="field-label">Pseudonym</span>
          <input
            value={pseudonym}
            onChange={(e) => setPseudonym(e.target.value)}
            placeholder="psn_…"
            required
            pattern="\s*psn_[0-9a-f]{32}\s*"
          />
        </label>
        <label className="field">
          <span className="field-label">Reason</span>
          <input value={reason} onChange={(e) => setReason(e.target.value)} minLength={3} maxLength={500} required />
        </label>
        <button type="submit" className="btn btn-primary">
          Resolve
        </button>
      </form>
      {result && (
        <p role="status" data-testid="pseudonym-resolved">
          {result.pseudonym} is <strong>{result.id}</strong>
        </p>
      )}
      {error !== null && <ErrorNotice error={error} title="Could not resolve" />}
    </section>
  );
}
