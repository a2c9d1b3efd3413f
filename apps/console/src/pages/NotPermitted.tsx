import { PageHeader } from "../components/PageHeader.js";
import { Link } from "../router/router.js";

export function NotPermitted({ what }: { what: string }) {
  return (
    <>
      <PageHeader title="Not permitted" />
      <div className="notice notice-warn" role="alert">
        Your role may not open {what}. Ask an admin if you need access. <Link to="/events">Back to events</Link>
      </div>
    </>
  );
}

export function NotFound() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        There is no page here. <Link to="/events">Go to events</Link>
      </p>
    </>
  );
}
