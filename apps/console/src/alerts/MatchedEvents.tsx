// The events an alert matched, each linked to its event detail page.
import { Link } from "../router/router.js";

export function MatchedEvents({ ids, max = 5 }: { ids: readonly string[]; max?: number }) {
  if (ids.length === 0) return <span className="muted">none (an absence)</span>;
  const shown = ids.slice(0, max);
  return (
    <ul className="inline-list" aria-label="Matched events">
      {shown.map((id) => (
        <li key={id}>
          <Link to={`/events/${encodeURIComponent(id)}`} className="mono">
            {id}
          </Link>
        </li>
      ))}
      {ids.length > max && <li className="muted">and {ids.length - max} more</li>}
    </ul>
  );
}
