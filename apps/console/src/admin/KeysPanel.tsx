// API keys: list, create (the key is shown once) and revoke.
import { type FormEvent, useState } from "react";
import type { ApiKey } from "../api/types.js";
import { Badge, RoleBadge } from "../components/Badge.js";
import { ConfirmButton } from "../components/ConfirmButton.js";
import { DataTable } from "../components/DataTable.js";
import { EmptyState } from "../components/EmptyState.js";
import { SecretOnce } from "../components/SecretOnce.js";
import { Section } from "../components/Section.js";
import { SelectField } from "../components/SelectField.js";
import { formatTableTime, formatTime } from "../lib/format.js";
import { Loaded, OutcomeNotice } from "./AdminViews.js";
import { useAdminResource } from "./use-admin-resource.js";

export function KeysPanel() {
  const keys = useAdminResource((api) => api.get<{ keys: ApiKey[] }>("/v1/keys"));
  const [name, setName] = useState("");
  const [role, setRole] = useState("ingest");
  const [created, setCreated] = useState<(ApiKey & { key: string }) | null>(null);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    const answer = await keys.change((api) => api.send<ApiKey & { key: string }>("POST", "/v1/keys", { name, role }));
    if (answer) {
      setCreated(answer);
      setName("");
    }
  };
  const revoke = (k: ApiKey) =>
    void keys.change(
      (api) => api.send("DELETE", `/v1/keys/${encodeURIComponent(k.key_id)}`),
      `Key "${k.name}" is revoked; requests made with it are refused from now on.`,
    );

  return (
    <div className="panel-grid">
      <Section id="keys-title" title="API keys">
        {created && (
          <SecretOnce
            title={`New ${created.role} key "${created.name}".`}
            value={created.key}
            onDismiss={() => setCreated(null)}
          />
        )}
        <Loaded state={keys.resource} what="keys">
          {({ keys: list }) =>
            list.length === 0 ? (
              <EmptyState title="No API keys yet">Create one for each system that sends events.</EmptyState>
            ) : (
              <DataTable
                caption="API keys"
                columns={["Name", "Key id", "Role", "Created", "Status", { title: "Actions", hidden: true }]}
              >
                {list.map((k) => (
                  <tr key={k.key_id}>
                    <td>{k.name}</td>
                    <td className="mono small">{k.key_id}</td>
                    <td>
                      <RoleBadge role={k.role} />
                    </td>
                    <td title={formatTime(k.created_at)}>{formatTableTime(k.created_at)}</td>
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
                      {!k.revoked_at && (
                        <ConfirmButton
                          label="Revoke"
                          confirmLabel="Confirm revoke"
                          subject={`key ${k.name}`}
                          disabled={keys.busy}
                          onConfirm={() => revoke(k)}
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
          <button type="submit" className="btn btn-primary" disabled={keys.busy}>
            Create key
          </button>
        </form>
        <OutcomeNotice outcome={keys.outcome} failureTitle="Not done" />
      </section>
    </div>
  );
}
