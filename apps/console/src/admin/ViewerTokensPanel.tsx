// Viewer tokens for embedding the events list in another product: a
// short-lived, read-only, redacted bearer with a pinned filter, and the
// iframe snippet that carries it in the URL fragment (never sent to servers).
// The tokens still live are listed by GET /v1/viewer-tokens (never the tokens
// themselves: those are shown once, when issued).
import { MAX_VIEWER_TOKEN_TTL_S } from "@trailproof/protocol";
import { type FormEvent, useState } from "react";
import type { IssuedViewerToken, ViewerToken } from "../api/types.js";
import { Badge } from "../components/Badge.js";
import { CopyButton } from "../components/CopyButton.js";
import { DataTable } from "../components/DataTable.js";
import { EmptyState } from "../components/EmptyState.js";
import { SecretOnce } from "../components/SecretOnce.js";
import { Section } from "../components/Section.js";
import { formatTableTime, formatTime } from "../lib/format.js";
import { Loaded, OutcomeNotice } from "./AdminViews.js";
import { useAdminResource } from "./use-admin-resource.js";

const FILTER_FIELDS = [
  { key: "tag", label: "Tag", placeholder: "workspace:acme" },
  { key: "target_type", label: "Target type", placeholder: "page" },
  { key: "target_id", label: "Target id", placeholder: "page_12" },
  { key: "actor_id", label: "Actor id", placeholder: "usr_ada" },
  { key: "action", label: "Action", placeholder: "app.*" },
] as const;

export function embedSnippet(origin: string, embedPath: string): string {
  return `<iframe src="${origin}${embedPath}" title="Audit log" width="100%" height="600" style="border:0"></iframe>`;
}

export function ViewerTokensPanel() {
  // change() reloads this list, so a token just issued appears in it.
  const issued = useAdminResource((api) => api.get<{ viewer_tokens: IssuedViewerToken[] }>("/v1/viewer-tokens"));
  const [viewerId, setViewerId] = useState("");
  const [viewerName, setViewerName] = useState("");
  const [ttl, setTtl] = useState(MAX_VIEWER_TOKEN_TTL_S);
  const [filter, setFilter] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<ViewerToken | null>(null);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    const pinned = Object.fromEntries(Object.entries(filter).filter(([, v]) => v.trim() !== ""));
    const token = await issued.change((api) =>
      api.send<ViewerToken>("POST", "/v1/viewer-tokens", {
        viewer: viewerName ? { id: viewerId, name: viewerName } : { id: viewerId },
        ttl_seconds: ttl,
        ...(Object.keys(pinned).length > 0 ? { filter: pinned } : {}),
      }),
    );
    if (token) setCreated(token);
  };
  const snippet = created ? embedSnippet(window.location.origin, created.embed_path) : "";

  return (
    <div className="panel-grid">
      <Section id="vt-title" title="Embedded viewer">
        <p className="muted">
          Show your customers their own audit trail inside your product. A viewer token can only search and read events,
          always with personal fields withheld and the filter below applied.
        </p>
        {created && (
          <SecretOnce
            title={`Viewer token, valid until ${formatTime(created.expires_at)}.`}
            value={created.token}
            onDismiss={() => setCreated(null)}
          >
            <p className="small">Embed snippet:</p>
            <div className="copy-row">
              <code className="key-text" data-testid="embed-snippet">
                {snippet}
              </code>
              <CopyButton value={snippet} label="Copy the embed snippet" />
            </div>
          </SecretOnce>
        )}
        <h3 className="subsection-title">Issued tokens</h3>
        <Loaded state={issued.resource} what="the viewer tokens issued">
          {({ viewer_tokens: tokens }) => {
            if (tokens.length === 0) return <EmptyState title="No live viewer tokens" />;
            const now = Date.now();
            return (
              <DataTable
                caption="Viewer tokens issued and not expired, newest first"
                columns={["Viewer", "Token id", "Pinned filter", "Issued", "Expires"]}
              >
                {tokens.map((t) => {
                  // The server lists only live tokens; one may lapse while the page is open.
                  const expired = Date.parse(t.expires_at) <= now;
                  const rules = Object.entries(t.filter);
                  return (
                    <tr key={t.token_id}>
                      <td>
                        <span className="mono">{t.viewer.id}</span>
                        {t.viewer.name && <div className="small muted">{t.viewer.name}</div>}
                      </td>
                      <td className="mono small">{t.token_id}</td>
                      <td className="small">
                        {rules.length === 0
                          ? "none"
                          : rules.map(([k, v]) => (
                              <div key={k}>
                                {k}: <code>{v}</code>
                              </div>
                            ))}
                      </td>
                      <td title={`by ${t.created_by}`}>{formatTableTime(t.created_at)}</td>
                      <td>
                        {formatTableTime(t.expires_at)}{" "}
                        {expired ? <Badge tone="neutral">expired</Badge> : <Badge tone="ok">valid</Badge>}
                      </td>
                    </tr>
                  );
                })}
              </DataTable>
            );
          }}
        </Loaded>
      </Section>
      <section className="card" aria-labelledby="vt-new">
        <h2 id="vt-new" className="card-title">
          Create a viewer token
        </h2>
        <form className="stack-form" onSubmit={(e) => void create(e)}>
          <label className="field">
            <span className="field-label">Viewer id</span>
            <input value={viewerId} onChange={(e) => setViewerId(e.target.value)} required placeholder="cust_42" />
          </label>
          <label className="field">
            <span className="field-label">Viewer name (optional)</span>
            <input value={viewerName} onChange={(e) => setViewerName(e.target.value)} placeholder="Acme Corp" />
          </label>
          <label className="field">
            <span className="field-label">Valid for (seconds)</span>
            <input
              type="number"
              min={60}
              max={MAX_VIEWER_TOKEN_TTL_S}
              value={ttl}
              onChange={(e) => setTtl(Number(e.target.value))}
            />
          </label>
          <fieldset className="subfields">
            <legend>Pinned filter</legend>
            {FILTER_FIELDS.map((f) => (
              <label key={f.key} className="field">
                <span className="field-label">{`Filter: ${f.label}`}</span>
                <input
                  value={filter[f.key] ?? ""}
                  onChange={(e) => setFilter({ ...filter, [f.key]: e.target.value })}
                  placeholder={f.placeholder}
                />
              </label>
            ))}
          </fieldset>
          <button type="submit" className="btn btn-primary" disabled={issued.busy}>
            Create viewer token
          </button>
        </form>
        <OutcomeNotice outcome={issued.outcome} failureTitle="Not created" />
      </section>
    </div>
  );
}
