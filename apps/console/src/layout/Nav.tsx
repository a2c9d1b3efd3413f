// The left navigation: only what this role may open, the current page marked
// with aria-current so screen readers say where you are.
import type { Role } from "../api/types.js";
import { roleAtLeast } from "../auth/roles.js";
import { Icon } from "../components/Icon.js";
import { Link, useLocation } from "../router/router.js";

export const NAV_ITEMS: { to: string; label: string; icon: string; minimum: Role }[] = [
  { to: "/events", label: "Events", icon: "events", minimum: "viewer" },
  { to: "/automations", label: "Automations", icon: "automations", minimum: "viewer" },
  { to: "/dashboards", label: "Dashboards", icon: "dashboards", minimum: "viewer" },
  { to: "/governance", label: "Governance", icon: "governance", minimum: "viewer" },
  { to: "/alerts", label: "Alerts", icon: "alerts", minimum: "auditor" },
  { to: "/rules", label: "Rules", icon: "rules", minimum: "auditor" },
  { to: "/integrity", label: "Integrity", icon: "integrity", minimum: "auditor" },
  { to: "/reports", label: "Reports", icon: "reports", minimum: "auditor" },
  { to: "/channels", label: "Channels", icon: "channels", minimum: "auditor" },
  { to: "/deliveries", label: "Deliveries", icon: "deliveries", minimum: "auditor" },
  { to: "/streams", label: "Streams", icon: "streams", minimum: "auditor" },
  { to: "/admin", label: "Admin", icon: "admin", minimum: "admin" },
];

export function Nav({ role }: { role: Role }) {
  const { pathname } = useLocation();
  const active = (to: string) =>
    pathname === to || pathname.startsWith(`${to}/`) || (to === "/events" && pathname.startsWith("/entities/"));
  return (
    <nav aria-label="Main" className="nav">
      <ul>
        {NAV_ITEMS.filter((item) => roleAtLeast(role, item.minimum)).map((item) => (
          <li key={item.to}>
            <Link
              to={item.to}
              className={active(item.to) ? "nav-link active" : "nav-link"}
              aria-current={active(item.to) ? "page" : undefined}
            >
              <Icon name={item.icon} />
              <span>{item.label}</span>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
