// People who sign in to the console: create with a role and a first
// password (they enrol TOTP at first sign-in), disable.
import { type FormEvent, useState } from "react";
import { useApi } from "../api/api-context.js";
import type { Person, Role } from "../api/types.js";
import { Badge, RoleBadge } from "../components/Badge.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { Loading } from "../components/Loading.js";
import { SelectField } from "../components/SelectField.js";
import { formatTime } from "../lib/format.js";
import { useAsync } from "../lib/use-async.js";

export function PeoplePanel() {
  const { api } = useApi();
  const people = useAsync(() => api.get<{ people: Person[] }>("/v1/people"), [api]);
  const [form, setForm] = useState({ username: "", display_name: "", role: "viewer" as Role, password: "" });
  const [error, setError] = useState<unknown>(undefined);
  const [message, setMessage] = useState("");

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      await api.send("POST", "/v1/people", form);
      setMessage(`${form.username} can now sign in and will be asked to set up an authenticator app.`);
      setForm({ username: "", display_name: "", role: "viewer", password: "" });
      people.reload();
    } catch (err) {
      setError(err);
    }
  };
  const disable = async (username: string) => {
    setError(undefined);
    try {
      await api.send("DELETE", `/v1/people/${encodeURIComponent(username)}`);
      setMessage(`${username} is disabled and signed out everywhere.`);
      people.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <div className="panel-grid">
      <section aria-labelledby="people-title">
        <h2 id="people-title" className="section-title">
          People
        </h2>
        {people.loading && <Loading />}
        {people.error !== undefined && <ErrorNotice error={people.error} title="Could not load people" />}
        {people.data && (
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">People and their roles</caption>
              <thead>
                <tr>
                  <th scope="col">Username</th>
                  <th scope="col">Name</th>
                  <th scope="col">Role</th>
                  <th scope="col">Status</th>
                  <th scope="col">Created</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {people.data.people.map((p) => (
                  <tr key={p.username}>
                    <td className="mono">{p.username}</td>
                    <td>{p.display_name}</td>
                    <td>
                      <RoleBadge role={p.role} />
                    </td>
                    <td>
                      {p.disabled ? (
                        <Badge tone="neutral">disabled</Badge>
                      ) : p.enrolled ? (
                        <Badge tone="ok">active</Badge>
                      ) : (
                        <Badge tone="warn">not enrolled</Badge>
                      )}
                    </td>
                    <td className="nowrap">{formatTime(p.created_at)}</td>
                    <td>
                      {!p.disabled && (
                        <button
                          type="button"
                          className="btn btn-small btn-danger"
                          onClick={() => void disable(p.username)}
                          aria-label={`Disable ${p.username}`}
                        >
                          Disable
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="person-new">
        <h2 id="person-new" className="card-title">
          Add a person
        </h2>
        <form className="stack-form" onSubmit={(e) => void create(e)}>
          <label className="field">
            <span className="field-label">Username</span>
            <input
              value={form.username}
              onChange={(e) => setForm({ ...form, username: e.target.value })}
              required
              autoComplete="off"
            />
          </label>
          <label className="field">
            <span className="field-label">Display name</span>
            <input
              value={form.display_name}
              onChange={(e) => setForm({ ...form, display_name: e.target.value })}
              required
            />
          </label>
          <SelectField label="Role" value={form.role} onChange={(v) => setForm({ ...form, role: v as Role })}>
            <option value="viewer">viewer — events without personal data</option>
            <option value="auditor">auditor — everything read-only, proofs</option>
            <option value="admin">admin — everything</option>
          </SelectField>
          <label className="field">
            <span className="field-label">First password</span>
            <input
              type="password"
              value={form.password}
              onChange={(e) => setForm({ ...form, password: e.target.value })}
              required
              autoComplete="new-password"
            />
          </label>
          <button type="submit" className="btn btn-primary">
            Add person
          </button>
        </form>
        {error !== undefined && <ErrorNotice error={error} title="Not saved" />}
        {message && (
          <p className="notice notice-ok" role="status">
            {message}
          </p>
        )}
      </section>
    </div>
  );
}
