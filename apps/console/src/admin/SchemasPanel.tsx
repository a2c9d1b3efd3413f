// Action schemas and their versions; registering a new version shows every
// compatibility break the server found (SCHEMA_INCOMPATIBLE).
import { type FormEvent, Fragment, useState } from "react";
import { ApiError } from "../api/api-error.js";
import type { ActionSchema } from "../api/types.js";
import { RiskBadge } from "../components/Badge.js";
import { DataTable } from "../components/DataTable.js";
import { EmptyState } from "../components/EmptyState.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { Section } from "../components/Section.js";
import { JsonBlock } from "../events/JsonBlock.js";
import { Loaded, OutcomeNotice } from "./AdminViews.js";
import { useAdminResource } from "./use-admin-resource.js";

/** Each privacy rule of a schema, as `metadata/email: personal`. */
function privacyRules(s: ActionSchema): { pointer: string; classification: string }[] {
  return [
    ...Object.entries(s.privacy?.metadata ?? {}).map(([p, c]) => ({ pointer: `metadata${p}`, classification: c })),
    ...Object.entries(s.privacy?.state ?? {}).map(([p, c]) => ({ pointer: `state${p}`, classification: c })),
  ];
}

function PrivacyRules({ schema }: { schema: ActionSchema }) {
  const rules = privacyRules(schema);
  if (rules.length === 0) return <>—</>;
  return (
    <ul className="privacy-rules">
      {rules.map((r) => (
        <li key={r.pointer}>
          <code>{r.pointer}</code> {r.classification}
        </li>
      ))}
    </ul>
  );
}

/** A refusal with every compatibility break the server listed, or the usual notice. */
function RefusalNotice({ error }: { error: unknown }) {
  if (!(error instanceof ApiError && error.problem?.problems)) return <ErrorNotice error={error} title="Refused" />;
  return (
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
  );
}

export function SchemasPanel() {
  const schemas = useAdminResource((api) => api.get<{ schemas: ActionSchema[] }>("/v1/schemas"));
  const [open, setOpen] = useState<string | null>(null);
  const [draft, setDraft] = useState("");

  const register = async (e: FormEvent) => {
    e.preventDefault();
    let body: unknown;
    try {
      body = JSON.parse(draft);
    } catch {
      schemas.fail(new Error("The definition is not valid JSON."));
      return;
    }
    await schemas.change(
      (api) => api.send<ActionSchema>("POST", "/v1/schemas", body),
      (saved) => `Registered ${saved.action} version ${saved.version}.`,
    );
  };

  return (
    // One column: the privacy rules need the table's whole width (they were cut off beside the form at 1280 px).
    <div className="panel-stack">
      <Section id="schemas-title" title="Action schemas">
        <Loaded state={schemas.resource} what="schemas">
          {({ schemas: list }) => {
            const byAction = new Map<string, ActionSchema[]>();
            for (const s of list) byAction.set(s.action, [...(byAction.get(s.action) ?? []), s]);
            const actions = [...byAction.keys()].sort();
            if (actions.length === 0) return <EmptyState title="No schemas registered yet" />;
            return (
              <DataTable
                className="schemas-table"
                caption="Registered actions and their latest versions"
                columns={[
                  "Action",
                  { title: "Versions", className: "num" },
                  "Kind",
                  "Category",
                  "Default risk",
                  { title: "Privacy", className: "col-privacy" },
                ]}
              >
                {actions.map((action) => {
                  const versions = (byAction.get(action) ?? []).sort((a, b) => a.version - b.version);
                  const latest = versions[versions.length - 1] as ActionSchema;
                  return (
                    <Fragment key={action}>
                      <tr>
                        <td>
                          <button
                            type="button"
                            className="link-button mono"
                            aria-expanded={open === action}
                            onClick={() => setOpen(open === action ? null : action)}
                          >
                            {action}
                          </button>
                        </td>
                        <td className="num">{versions.length}</td>
                        <td>{latest.kind}</td>
                        <td>{latest.category}</td>
                        <td>
                          <RiskBadge risk={latest.defaultRisk} />
                        </td>
                        <td className="small col-privacy">
                          <PrivacyRules schema={latest} />
                        </td>
                      </tr>
                      {open === action && (
                        // The versions get a row of their own: their JSON inside the action cell widened the table.
                        <tr className="schema-versions-row">
                          <td colSpan={6}>
                            <div className="schema-versions">
                              {versions.map((v) => (
                                <details key={v.version}>
                                  <summary>Version {v.version}</summary>
                                  <JsonBlock value={v} label={`${action} version ${v.version}`} />
                                </details>
                              ))}
                            </div>
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </DataTable>
            );
          }}
        </Loaded>
      </Section>
      <section className="card schema-register" aria-labelledby="schema-new">
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
          <button type="submit" className="btn btn-primary" disabled={schemas.busy}>
            Register
          </button>
        </form>
        <OutcomeNotice
          outcome={schemas.outcome}
          failureTitle="Refused"
          renderError={(error) => <RefusalNotice error={error} />}
        />
      </section>
    </div>
  );
}
