// People who sign in to the console: create with a role and a first
// password (they enrol TOTP at first sign-in), disable (asked twice: it signs
// them out everywhere and cannot be undone here).
import { type FormEvent, useState } from "react";
import type { Person, Role } from "../api/types.js";
import { Badge, RoleBadge } from "../components/Badge.js";
import { ConfirmButton } from "../components/ConfirmButton.js";
import { DataTable } from "../components/DataTable.js";
import { EmptyState } from "../components/EmptyState.js";
import { Section } from "../components/Section.js";
import { SelectField } from "../components/SelectField.js";
import { formatTableTime, formatTime } from "../lib/format.js";
import { Loaded, OutcomeNotice } from "./AdminViews.js";
import { useAdminResource } from "./use-admin-resource.js";

const EMPTY_FORM = { username: "", display_name: "", role: "viewer" as Role, password: "" };

export function PeoplePanel() {
  const people = useAdminResource((api) => api.get<{ people: Person[] }>("/v1/people"));
  const [form, setForm] = useState(EMPTY_FORM);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    const added = await people.change(
      (api) => api.send("POST", "/v1/people", form).then(() => true),
      `${form.username} can now sign in and will be asked to set up an authenticator app.`,
    );
    if (added) setForm(EMPTY_FORM);
  };
  const disable = (username: string) =>
    void people.change(
      (api) => api.send("DELETE", `/v1/people/${encodeURIComponent(username)}`),
      `${username} is disabled and signed out everywhere.`,
    );

  return (
    <div className="panel-grid">
      <Section id="people-title" title="People">
        <Loaded state={people.resource} what="people">
          {({ people: list }) =>
            list.length === 0 ? (
              <EmptyState title="No people yet">
                Only API keys reach this tenant. Add a person to let them sign in to the console.
              </EmptyState>
            ) : (
              <DataTable
                caption="People and their roles"
                columns={["Username", "Name", "Role", "Status", "Created", { title: "Actions", hidden: true }]}
              >
                {list.map((p) => (
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
                    <td title={formatTime(p.created_at)}>{formatTableTime(p.created_at)}</td>
                    <td className="nowrap">
                      {!p.disabled && (
                        <ConfirmButton
                          label="Disable"
                          confirmLabel="Confirm disable"
                          subject={p.username}
                          disabled={people.busy}
                          onConfirm={() => disable(p.username)}
                        />
                      )}
                    </td>
                  </tr>
                ))}
              </DataTable>
            )
          }
        </Loaded>
      </Section>
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
          <button type="submit" className="btn btn-primary" disabled={people.busy}>
            Add person
          </button>
        </form>
        <OutcomeNotice outcome={people.outcome} failureTitle="Not saved" />
      </section>
    </div>
  );
}
