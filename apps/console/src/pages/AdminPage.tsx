// /admin (admin role) — people, API keys, viewer tokens, schemas, settings.
// The tab is kept in the URL so a reload or a shared link opens it.
import { KeysPanel } from "../admin/KeysPanel.js";
import { PeoplePanel } from "../admin/PeoplePanel.js";
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
  { id: "settings", label: "Settings", render: () => <SettingsPanel /> },
];

export function AdminPage() {
  const { search } = useLocation();
  const tab = search.get("tab") ?? "people";
  return (
    <>
      <PageHeader title="Admin" subtitle="Who may sign in, which systems may write, and how this tenant behaves." />
      <Tabs
        tabs={TABS}
        active={tab}
        label="Administration sections"
        onChange={(id) => navigate(`/admin?tab=${id}`, { replace: true })}
      />
    </>
  );
}
