// Viewer tokens for embedding the events list in another product: a
// short-lived, read-only, redacted bearer with a pinned filter, and the
// iframe snippet that carries it in the URL fragment (never sent to servers).
// The server has no list of tokens (only POST /v1/viewer-tokens), so the
// tokens already issued are read from the log: every issue is recorded there
// as a viewer_token.create event, with the viewer, the filter and the expiry.
import { type FormEvent, useState } from "react";
import type { EventPage, ViewerToken } from "../api/types.js";
import { Badge } from "../components/Badge.js";
import { CopyButton } from "../components/CopyButton.js";
import { EmptyState } from "../components/EmptyState.js";
import { SecretOnce } from "../components/SecretOnce.js";
import { asEvent } from "../lib/event-view.js";
import { formatTableTime, formatTime } from "../lib/format.js";
import { Loaded, OutcomeNotice } from "./AdminViews.js";
import { useAdminResource } from "./use-admin-resource.js";

/** The newest issues shown; older tokens are in the log (search action:viewer_token.create). */
const ISSUED_SHOWN = 100;

export interface IssuedViewerToken {
  tokenId: string;
  viewerId: string;
  issuedAt: string;
  issuedBy: string;
  expiresAt: string | undefined;
  filter: Record<string, string>;
}

/** A viewer_token.create event as the token it issued; fields the event lacks stay empty, never guessed. */
export function toIssuedViewerToken(item: EventPage["events"][number]): IssuedViewerToken {
  const e = asEvent(item);
  const metadata = (e.metadata ?? {}) as Record<string, unknown>;
  const filter = metadata.filter && typeof metadata.filter === "object" ? metadata.filter : {};
  return {
    tokenId: e.target?.id ?? "",
    viewerId: typeof metadata.viewer_id === "string" ? metadata.viewer_id : "",
    issuedAt: e.occurred_at ?? "",
    issuedBy: e.actor?.name ?? e.actor?.id ?? "",
    expiresAt: typeof metadata.expires_at === "string" ? metadata.expires_at : undefined,
    filter: Object.fromEntries(Object.entries(filter).filter(([, v]) => typeof v === "string")) as Record<
      string,
      string
    >,
  };
}

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
  const issued = useAdminResource((api) =>
    api.get<EventPage>("/v1/events", { action: "viewer_token.create", order: "desc", limit: ISSUED_SHOWN }),
  );
  const [viewerId, setViewerId] = useState("");
  const [viewerName, setViewerName] = useState("");
  const [ttl, setTtl] = useState(3600);
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
        <h3 className="subsection-title">Issued tokens</h3>
        <Loaded state={issued.resource} what="the viewer tokens issued">
          {(page) => {
            const tokens = page.events.map(toIssuedViewerToken);
            if (tokens.length === 0) return <EmptyState title="No viewer tokens issued yet" />;
            const now = Date.now();
            return (
              <div className="table-wrap">
                <table className="table">
                  <caption className="sr-only">Viewer tokens issued, newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Viewer</th>
                      <th scope="col">Token id</th>
                      <th scope="col">Pinned filter</th>
                      <th scope="col">Issued</th>
                      <th scope="col">Expires</th>
                    </tr>
                  </thead>
                  <tbody>
                    {tokens.map((t) => {
                      const expired = t.expiresAt !== undefined && Date.parse(t.expiresAt) <= now;
                      const rules = Object.entries(t.filter);
                      return (
                        <tr key={t.tokenId || t.issuedAt}>
                          <td className="mono">{t.viewerId}</td>
                          <td className="mono small">{t.tokenId}</td>
                          <td className="small">
                            {rules.length === 0
                              ? "none"
                              : rules.map(([k, v]) => (
                                  <div key={k}>
                                    {k}: <code>{v}</code>
                                  </div>
                                ))}
                          </td>
                          <td title={t.issuedBy ? `by ${t.issuedBy}` : undefined}>{formatTableTime(t.issuedAt)}</td>
                          <td>
                            {formatTableTime(t.expiresAt)}{" "}
                            {t.expiresAt !== undefined &&
                              (expired ? <Badge tone="neutral">expired</Badge> : <Badge tone="ok">valid</Badge>)}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            );
          }}
        </Loaded>
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
          <button type="submit" className="btn btn-primary" disabled={issued.busy}>
            Create viewer token
          </button>
        </form>
        <OutcomeNotice outcome={issued.outcome} failureTitle="Not created" />
      </section>
    </div>
  );
}
