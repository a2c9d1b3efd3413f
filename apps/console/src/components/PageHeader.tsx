// The top of every page: its title (the page's one h1), a line of context,
// and its actions on the right.
import type { ReactNode } from "react";

export function PageHeader({
  title,
  subtitle,
  actions,
  crumbs,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
  crumbs?: ReactNode;
}) {
  return (
    <header className="page-header">
      <div className="page-header-text">
        {crumbs && (
          <nav aria-label="Breadcrumb" className="crumbs">
            {crumbs}
          </nav>
        )}
        <h1>{title}</h1>
        {subtitle && <p className="page-subtitle">{subtitle}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}
