// Routes of the console. /embed and /sign-in stand alone; everything else
// needs a session and sits in the shell. Chart pages load lazily: recharts is
// most of the bundle and most visits never open them.
import { lazy, type ReactNode, Suspense, useEffect, useMemo } from "react";
import { ApiProvider } from "../api/api-context.js";
import type { Role } from "../api/types.js";
import { roleAtLeast } from "../auth/roles.js";
import { useSession } from "../auth/session.js";
import { ChannelsPage } from "../channels/ChannelsPage.js";
import { DeliveriesPage } from "../channels/DeliveriesPage.js";
import { Loading } from "../components/Loading.js";
import { Shell } from "../layout/Shell.js";
import { AdminPage } from "../pages/AdminPage.js";
import { AlertsPage } from "../pages/AlertsPage.js";
import { AutomationsPage } from "../pages/AutomationsPage.js";
import { EmbedPage } from "../pages/EmbedPage.js";
import { EntityPage } from "../pages/EntityPage.js";
import { EventDetailPage } from "../pages/EventDetailPage.js";
import { EventsPage } from "../pages/EventsPage.js";
import { GovernancePage } from "../pages/GovernancePage.js";
import { NotFound, NotPermitted } from "../pages/NotPermitted.js";
import { ReportsPage } from "../pages/ReportsPage.js";
import { NewRulePage, RulePage, RulesPage } from "../pages/RulesPage.js";
import { RunPage } from "../pages/RunPage.js";
import { SignInPage } from "../pages/SignInPage.js";
import { TracePage } from "../pages/TracePage.js";
import { matchPath, navigate, useLocation } from "../router/router.js";
import { StreamPage } from "../streams/StreamPage.js";
import { StreamsPage } from "../streams/StreamsPage.js";

const DashboardsPage = lazy(() => import("../pages/DashboardsPage.js"));
const IntegrityPage = lazy(() => import("../pages/IntegrityPage.js"));

interface Route {
  path: string;
  minimum: Role;
  what: string;
  render(params: Record<string, string>): ReactNode;
}

const ROUTES: Route[] = [
  { path: "/events", minimum: "viewer", what: "events", render: () => <EventsPage /> },
  { path: "/events/:id", minimum: "viewer", what: "events", render: (p) => <EventDetailPage id={p.id ?? ""} /> },
  { path: "/events/:id/trace", minimum: "viewer", what: "traces", render: (p) => <TracePage id={p.id ?? ""} /> },
  {
    path: "/entities/:type/:id",
    minimum: "viewer",
    what: "entity histories",
    render: (p) => <EntityPage type={p.type ?? ""} id={p.id ?? ""} />,
  },
  { path: "/automations", minimum: "viewer", what: "automations", render: () => <AutomationsPage /> },
  {
    path: "/automations/runs/:runId",
    minimum: "viewer",
    what: "automation runs",
    render: (p) => <RunPage runId={p.runId ?? ""} />,
  },
  { path: "/dashboards", minimum: "viewer", what: "dashboards", render: () => <DashboardsPage /> },
  { path: "/governance", minimum: "viewer", what: "governance", render: () => <GovernancePage /> },
  { path: "/alerts", minimum: "auditor", what: "alerts", render: () => <AlertsPage /> },
  { path: "/rules", minimum: "auditor", what: "alert rules", render: () => <RulesPage /> },
  { path: "/rules/new", minimum: "admin", what: "new alert rules", render: () => <NewRulePage /> },
  { path: "/rules/:id", minimum: "auditor", what: "alert rules", render: (p) => <RulePage id={p.id ?? ""} /> },
  { path: "/integrity", minimum: "auditor", what: "the integrity page", render: () => <IntegrityPage /> },
  { path: "/reports", minimum: "auditor", what: "reports", render: () => <ReportsPage /> },
  { path: "/channels", minimum: "auditor", what: "notification channels", render: () => <ChannelsPage /> },
  { path: "/deliveries", minimum: "auditor", what: "notification deliveries", render: () => <DeliveriesPage /> },
  { path: "/streams", minimum: "auditor", what: "SIEM streams", render: () => <StreamsPage /> },
  { path: "/streams/:id", minimum: "auditor", what: "SIEM streams", render: (p) => <StreamPage id={p.id ?? ""} /> },
  { path: "/admin", minimum: "admin", what: "administration", render: () => <AdminPage /> },
];

const TITLES: Record<string, string> = {
  "/events": "Events",
  "/entities": "Entity history",
  "/automations": "Automations",
  "/dashboards": "Dashboards",
  "/governance": "Governance",
  "/alerts": "Alerts",
  "/rules": "Rules",
  "/integrity": "Integrity",
  "/reports": "Reports",
  "/channels": "Channels",
  "/deliveries": "Deliveries",
  "/streams": "Streams",
  "/admin": "Admin",
  "/sign-in": "Sign in",
  "/embed": "Audit log",
};

function useDocumentTitle(pathname: string) {
  useEffect(() => {
    const section = Object.keys(TITLES).find((p) => pathname === p || pathname.startsWith(`${p}/`));
    document.title = section ? `${TITLES[section]} · Trailproof` : "Trailproof";
  }, [pathname]);
}

export function App() {
  const { pathname, href } = useLocation();
  const { state } = useSession();
  useDocumentTitle(pathname);

  useEffect(() => {
    if (pathname === "/embed" || pathname === "/sign-in") return;
    if (state.status === "signed-out") navigate(`/sign-in?next=${encodeURIComponent(href)}`, { replace: true });
    else if (state.status === "signed-in" && pathname === "/") navigate("/events", { replace: true });
  }, [pathname, href, state.status]);

  const api = useMemo(
    () => (state.status === "signed-in" ? { api: state.api, role: state.user.role, embedded: false } : null),
    [state],
  );

  if (pathname === "/embed") return <EmbedPage />;
  if (pathname === "/sign-in") return <SignInPage />;
  if (state.status !== "signed-in" || !api) return <Loading label="Opening the console" />;

  const route = ROUTES.map((r) => ({ r, params: matchPath(r.path, pathname) })).find((m) => m.params !== null);
  let page: ReactNode;
  if (!route) page = <NotFound />;
  else if (!roleAtLeast(state.user.role, route.r.minimum)) page = <NotPermitted what={route.r.what} />;
  else page = route.r.render(route.params ?? {});

  return (
    <ApiProvider value={api}>
      <Shell user={state.user} mode={state.mode}>
        <Suspense fallback={<Loading />}>{page}</Suspense>
      </Shell>
    </ApiProvider>
  );
}
