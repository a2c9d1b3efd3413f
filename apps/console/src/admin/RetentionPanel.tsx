// Retention (read-only): the tenant's rules with their precedence, and its
// legal holds. Changes go through the API under dual control (docs/retention.md).
import type { TenantSettings, WireLegalHold, WireRetention } from "@trailproof/protocol";
import { DataTable } from "../components/DataTable.js";
import { Loaded } from "./AdminViews.js";
import { useAdminResource } from "./use-admin-resource.js";

interface RetentionView {
  retention: WireRetention;
  holds: WireLegalHold[];
}

const MATCH_LABEL = { tag: "Tag", action_prefix: "Action prefix", category: "Category" } as const;
/** The order rules apply in: the most specific first. */
const PRECEDENCE = ["tag", "action_prefix", "category"] as const;

function scopeText(h: WireLegalHold): string {
  const s = h.scope;
  switch (s.type) {
    case "target":
      return `target ${s.target_type} ${s.target_id}`;
    case "actor":
      return `actor ${s.actor_id}`;
    case "tag":
      return `tag ${s.tag}`;
    case "time_range":
      return `occurred ${s.from} to ${s.to}`;
  }
}

export function RetentionPanel() {
  const view = useAdminResource(async (api): Promise<RetentionView> => {
    const { tenant } = await api.get<TenantSettings>("/v1/settings");
    const base = `/v1/tenants/${encodeURIComponent(tenant)}`;
    const [retention, holds] = await Promise.all([
      api.get<WireRetention>(`${base}/retention`),
      api.get<{ legal_holds: WireLegalHold[] }>(`${base}/legal-holds`),
    ]);
    return { retention, holds: holds.legal_holds };
  });

  return (
    <Loaded state={view.resource} what="retention">
      {({ retention, holds }) => {
        const rules = [...retention.rules].sort(
          (a, b) =>
            PRECEDENCE.indexOf(a.match) - PRECEDENCE.indexOf(b.match) ||
            (a.match === "action_prefix" ? b.value.length - a.value.length : a.value.localeCompare(b.value)),
        );
        return (
          <>
            <section className="card" aria-labelledby="retention-title">
              <h2 id="retention-title" className="card-title">
                Retention rules
              </h2>
              <p className="muted">
                The most specific rule applies: a tag, then the longest action prefix, then the category, then the
                default. Days count from when the service received the event. Changes need a second admin.
              </p>
              <DataTable label="Retention rules" columns={["Matches", "Value", "Kept for"]}>
                {rules.map((r) => (
                  <tr key={`${r.match}:${r.value}`}>
                    <td>{MATCH_LABEL[r.match]}</td>
                    <td className="mono">{r.value}</td>
                    <td>{r.keep_days} days</td>
                  </tr>
                ))}
                <tr>
                  <td>Default</td>
                  <td className="muted">everything else</td>
                  <td>{retention.default_keep_days === null ? "forever" : `${retention.default_keep_days} days`}</td>
                </tr>
              </DataTable>
              {retention.updated_at && (
                <p className="muted">
                  Last changed {retention.updated_at} by <span className="mono">{retention.updated_by}</span>.
                </p>
              )}
            </section>
            <section className="card" aria-labelledby="holds-title">
              <h2 id="holds-title" className="card-title">
                Legal holds
              </h2>
              {holds.length === 0 ? (
                <p className="muted">No legal holds: entries are pruned as the rules say.</p>
              ) : (
                <DataTable label="Legal holds" columns={["Covers", "Reason", "Status", "Expires"]}>
                  {holds.map((h) => (
                    <tr key={h.id}>
                      <td className="mono">{scopeText(h)}</td>
                      <td>{h.reason}</td>
                      <td>{h.active ? "active" : h.lifted_at ? `lifted ${h.lifted_at}` : "expired"}</td>
                      <td>{h.expires_at ?? "never"}</td>
                    </tr>
                  ))}
                </DataTable>
              )}
            </section>
          </>
        );
      }}
    </Loaded>
  );
}
