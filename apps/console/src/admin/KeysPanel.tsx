// API keys: list, create (the key is shown once) and revoke.
import { type FormEvent, useState } from "react";
import { useApi } from "../api/api-context.js";
import type { ApiKey } from "../api/types.js";
import { Badge, RoleBadge } from "../components/Badge.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { Loading } from "../components/Loading.js";
import { SecretOnce } from "../components/SecretOnce.js";
import { SelectField } from "../components/SelectField.js";
import { formatTime } from "../lib/format.js";
import { useAsync } from "../lib/use-async.js";

export function KeysPanel() {
  const { api } = useApi();
  const keys = useAsync(() => api.get<{ keys: ApiKey[] }>("/v1/keys"), [api]);
  const [name, setName] = useState("");
  const [role, setRole] = useState("ingest");
  const [created, setCreated] = useState<(ApiKey & { key: string }) | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      setCreated(await api.send<ApiKey & { key: string }>("POST", "/v1/keys", { name, role }));
      setName("");
      keys.reload();
    } catch (err) {
      setError(err);
    }
  };
  const revoke = async (keyId: string) => {
    setError(undefined);
    setConfirming(null);
    try {
      await api.send("DELETE", `/v1/keys/${encodeURIComponent(keyId)}`);
      keys.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <div className="panel-grid">
      <section aria-labelledby="keys-title">
        <h2 id="keys-title" className="section-title">
          API keys
        </h2>
        {created && (
          <SecretOnce
            title={`New ${created.role} key "${created.name}".`}
            value={created.key}
            onDismiss={() => setCreated(null)}
          />
        )}
        {keys.loading && <Loading />}
        {keys.error !== undefined && <ErrorNotice error={keys.error} title="Could not load keys" />}
        {keys.data && (
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">API keys</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Key id</th>
                  <th scope="col">Role</th>
                  <th scope="col">Created</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {keys.data.keys.map((k) => (
                  <tr key={k.key_id}>
                    <td>{k.name}</td>
                    <td className="mono small">{k.key_id}</td>
                    <td>
                      <RoleBadge role={k.role} />
                    </td>
                    <td className="nowrap">{formatTime(k.created_at)}</td>
                    <td>
                      {k.revoked_at ? (
                        <Badge tone="neutral" title={formatTime(k.revoked_at)}>
                          revoked
                        </Badge>
                      ) : (
                        <Badge tone="ok">active</Badge>
                      )}
                    </td>
                    <td className="nowrap">
                      {!k.revoked_at &&
                        (confirming === k.key_id ? (
                          <>
                            <button
                              type="button"
                              className="btn btn-small btn-danger"
                              onClick={() => void revoke(k.key_id)}
                            >
                              Confirm revoke
                            </button>{" "}
                            <button
                              type="button"
                              className="btn btn-small btn-ghost"
                              onClick={() => setConfirming(null)}
                            >
                              Cancel
                            </button>
                          </>
                        ) : (
                          <button
                            type="button"
                            className="btn btn-small"
                            onClick={() => setConfirming(k.key_id)}
                            aria-label={`Revoke key ${k.name}`}
                          >
                            Revoke
                          </button>
                        ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="key-new">
        <h2 id="key-new" className="card-title">
          Create a key
        </h2>
        <form className="stack-form" onSubmit={(e) => void create(e)}>
          <label className="field">
            <span className="field-label">Key name</span>
            <input
              value={name}
              onChange={(e) => setName(e.target.value)}
              required
              maxLength={128}
              placeholder="builder-prod"
            />
          </label>
          <SelectField label="Key role" value={role} onChange={setRole}>
            <option value="ingest">ingest — append events only</option>
            <option value="viewer">viewer</option>
            <option value="auditor">auditor</option>
            <option value="admin">admin</option>
          </SelectField>
          <button type="submit" className="btn btn-primary">
            Create key
          </button>
        </form>
        {error !== undefined && <ErrorNotice error={error} title="Not done" />}
      </section>
    </div>
  );
}
