// Action schemas and their versions; registering a new version shows every
// compatibility break the server found (SCHEMA_INCOMPATIBLE).
import { type FormEvent, useState } from "react";
import { useApi } from "../api/api-context.js";
import { ApiError } from "../api/api-error.js";
import type { ActionSchema } from "../api/types.js";
import { RiskBadge } from "../components/Badge.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { Loading } from "../components/Loading.js";
import { JsonBlock } from "../events/JsonBlock.js";
import { useAsync } from "../lib/use-async.js";

function privacySummary(s: ActionSchema): string {
  const rules = [
    ...Object.entries(s.privacy?.metadata ?? {}).map(([p, c]) => `metadata${p}: ${c}`),
    ...Object.entries(s.privacy?.state ?? {}).map(([p, c]) => `state${p}: ${c}`),
  ];
  return rules.length ? rules.join(", ") : "—";
}

export function SchemasPanel() {
  const { api } = useApi();
  const schemas = useAsync(() => api.get<{ schemas: ActionSchema[] }>("/v1/schemas"), [api]);
  const [open, setOpen] = useState<string | null>(null);
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<unknown>(undefined);
  const [message, setMessage] = useState("");

  const byAction = new Map<string, ActionSchema[]>();
  for (const s of schemas.data?.schemas ?? []) byAction.set(s.action, [...(byAction.get(s.action) ?? []), s]);
  const actions = [...byAction.keys()].sort();

  const register = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setMessage("");
    let body: unknown;
    try {
      body = JSON.parse(draft);
    } catch {
      setError(new Error("The definition is not valid JSON."));
      return;
    }
    try {
      const saved = await api.send<ActionSchema>("POST", "/v1/schemas", body);
      setMessage(`Registered ${saved.action} version ${saved.version}.`);
      schemas.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <div className="panel-grid">
      <section aria-labelledby="schemas-title">
        <h2 id="schemas-title" className="section-title">
          Action schemas
        </h2>
        {schemas.loading && <Loading />}
        {schemas.error !== undefined && <ErrorNotice error={schemas.error} title="Could not load schemas" />}
        {schemas.data && (
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">Registered actions and their latest versions</caption>
              <thead>
                <tr>
                  <th scope="col">Action</th>
                  <th scope="col" className="num">
                    Versions
                  </th>
                  <th scope="col">Kind</th>
                  <th scope="col">Category</th>
                  <th scope="col">Default risk</th>
                  <th scope="col">Privacy</th>
                </tr>
              </thead>
              <tbody>
                {actions.map((action) => {
                  const versions = (byAction.get(action) ?? []).sort((a, b) => a.version - b.version);
                  const latest = versions[versions.length - 1] as ActionSchema;
                  return (
                    <tr key={action}>
                      <td>
                        <button
                          type="button"
                          className="link-button mono"
                          aria-expanded={open === action}
                          onClick={() => setOpen(open === action ? null : action)}
                        >
                          {action}
                        </button>
                        {open === action && (
                          <div className="schema-versions">
                            {versions.map((v) => (
                              <details key={v.version}>
                                <summary>Version {v.version}</summary>
                                <JsonBlock value={v} label={`${action} version ${v.version}`} />
                              </details>
                            ))}
                          </div>
                        )}
                      </td>
                      <td className="num">{versions.length}</td>
                      <td>{latest.kind}</td>
                      <td>{latest.category}</td>
                      <td>
                        <RiskBadge risk={latest.defaultRisk} />
                      </td>
                      <td className="small mono">{privacySummary(latest)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="schema-new">
        <h2 id="schema-new" className="card-title">
          Register a version
        </h2>
        <form className="stack-form" onSubmit={(e) => void register(e)}>
          <label className="field">
            <span className="field-label">Definition (JSON)</span>
            <textarea
              rows={12}
              className="mono"
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              placeholder='{"action": "invoice.approve", "version": 1, "kind": "update", "category": "data", "defaultRisk": "medium"}'
              spellCheck={false}
            />
          </label>
          <button type="submit" className="btn btn-primary">
            Register
          </button>
        </form>
        {error !== undefined &&
          (error instanceof ApiError && error.problem?.problems ? (
            <div className="notice notice-bad" role="alert">
              <strong>Refused ({error.code}).</strong>
              <ul>
                {error.problem.problems.map((p) => (
                  <li key={`${p.pointer}:${p.message}`}>
                    <code>{p.pointer || "/"}</code> {p.message}
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <ErrorNotice error={error} title="Refused" />
          ))}
        {message && (
          <p className="notice notice-ok" role="status">
            {message}
          </p>
        )}
      </section>
    </div>
  );
}
