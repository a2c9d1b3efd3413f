// /admin (admin role) — people, API keys, viewer tokens, schemas, retention,
// approvals (dual control), privacy (erasure), settings.
// The tab is kept in the URL so a reload or a shared link opens it; a link to
// a tab that does not exist says so rather than quietly showing another.
import { ApprovalsPanel } from "../admin/ApprovalsPanel.js";
import { ErasurePanel } from "../admin/ErasurePanel.js";
import { KeysPanel } from "../admin/KeysPanel.js";
import { PeoplePanel } from "../admin/PeoplePanel.js";
import { RetentionPanel } from "../admin/RetentionPanel.js";
import { SchemasPanel } from "../admin/SchemasPanel.js";
import { SettingsPanel } from "../admin/SettingsPanel.js";
import { ViewerTokensPanel } from "../admin/ViewerTokensPanel.js";
import { PageHeader } from "../components/PageHeader.js";
import { Tabs } from "../components/Tabs.js";
import { navigate, useLocation } from "../router/router.js";

const TABS = [
  { id: "people", label: "People", render: () => <PeoplePanel /> },
  { id: "keys", label: "API keys", render: () => <KeysPanel /> },
  { id: "viewer-tokens", label: "Embedded viewer", render: () => <ViewerTokensPanel /> },
  { id: "schemas", label: "Schemas", render: () => <SchemasPanel /> },
  { id: "retention", label: "Retention", render: () => <RetentionPanel /> },
  { id: "approvals", label: "Approvals", render: () => <ApprovalsPanel /> },
  { id: "privacy", label: "Privacy", render: () => <ErasurePanel /> },
  { id: "settings", label: "Settings", render: () => <SettingsPanel /> },
];

export function AdminPage() {
  const { search } = useLocation();
  const tab = search.get("tab") ?? "people";
  const known = TABS.some((t) => t.id === tab);
  return (
    <>
      <PageHeader title="Admin" subtitle="Who may sign in, which systems may write, and how this tenant behaves." />
      {!known && (
        <div className="notice notice-warn" role="alert">
          <strong>No such tab.</strong> Admin has no section called <code>{tab}</code>; choose one of{" "}
          {TABS.map((t) => t.label).join(", ")} below.
        </div>
      )}
      <Tabs
        tabs={TABS}
        active={tab}
        label="Administration sections"
        onChange={(id) => navigate(`/admin?tab=${id}`, { replace: true })}
      />
    </>
  );
}
