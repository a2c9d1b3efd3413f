// The signed-in frame: brand, navigation and the person at the left (a top
// bar on narrow screens), the page in <main>.
import type { ReactNode } from "react";
import type { SessionUser } from "../api/types.js";
import { useSession } from "../auth/session.js";
import { RoleBadge } from "../components/Badge.js";
import { Icon } from "../components/Icon.js";
import { Link } from "../router/router.js";
import { Nav } from "./Nav.js";

export function Shell({ user, mode, children }: { user: SessionUser; mode: string; children: ReactNode }) {
  const { signOut } = useSession();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <Link to="/events" className="brand" aria-label="Trailproof, events">
          <span className="brand-mark" aria-hidden="true">
            T
          </span>
          <span className="brand-name">Trailproof</span>
        </Link>
        {user.tenant && (
          <p className="tenant-name" title="Tenant">
            {user.tenant}
          </p>
        )}
        <Nav role={user.role} />
        <div className="sidebar-user">
          <div className="user-text">
            <span className="user-name">{user.display_name || user.username}</span>
            <span className="user-meta">
              <RoleBadge role={user.role} />
              {mode === "api-key" && <span className="muted"> API key</span>}
            </span>
          </div>
          <button type="button" className="btn btn-ghost btn-icon" onClick={() => void signOut()} aria-label="Sign out">
            <Icon name="signout" />
            <span className="signout-text">Sign out</span>
          </button>
        </div>
      </aside>
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
