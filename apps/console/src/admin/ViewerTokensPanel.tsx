// Viewer tokens for embedding the events list in another product: a
// short-lived, read-only, redacted bearer with a pinned filter, and the
// iframe snippet that carries it in the URL fragment (never sent to servers).
import { type FormEvent, useState } from "react";
import { useApi } from "../api/api-context.js";
import type { ViewerToken } from "../api/types.js";
import { CopyButton } from "../components/CopyButton.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { SecretOnce } from "../components/SecretOnce.js";
import { formatTime } from "../lib/format.js";

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
  const { api } = useApi();
  const [viewerId, setViewerId] = useState("");
  const [viewerName, setViewerName] = useState("");
  const [ttl, setTtl] = useState(3600);
  const [filter, setFilter] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<ViewerToken | null>(null);
  const [error, setError] = useState<unknown>(undefined);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    const pinned = Object.fromEntries(Object.entries(filter).filter(([, v]) => v.trim() !== ""));
    try {
      setCreated(
        await api.send<ViewerToken>("POST", "/v1/viewer-tokens", {
          viewer: viewerName ? { id: viewerId, name: viewerName } : { id: viewerId },
          ttl_seconds: ttl,
          ...(Object.keys(pinned).length > 0 ? { filter: pinned } : {}),
        }),
      );
    } catch (err) {
      setError(err);
    }
  };
  const snippet = created ? embedSnippet(window.location.origin, created.embed_path) : "";

  return (
    <div className="panel-grid">
      <section aria-labelledby="vt-title">
        <h2 id="vt-title" className="section-title">
          Embedded viewer
        </h2>
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
      </section>
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
              max={86_400 * 30}
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
          <button type="submit" className="btn btn-primary">
            Create viewer token
          </button>
        </form>
        {error !== undefined && <ErrorNotice error={error} title="Not created" />}
      </section>
    </div>
  );
}
