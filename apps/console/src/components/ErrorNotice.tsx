// An API error as a person reads it: what went wrong, its stable code, and
// the request id that finds it in the service's log.
import { ApiError, errorMessage } from "../api/api-error.js";

export function ErrorNotice({ error, title = "Something went wrong" }: { error: unknown; title?: string }) {
  const api = error instanceof ApiError ? error : undefined;
  if (api?.status === 403) {
    return (
      <div className="notice notice-warn" role="alert">
        <strong>Not permitted.</strong> Your role may not see this. {api.message}
      </div>
    );
  }
  return (
    <div className="notice notice-bad" role="alert">
      <strong>{title}.</strong> {errorMessage(error)}
      {api && (
        <span className="notice-meta">
          {" "}
          <code>{api.code}</code>
          {api.problem?.request_id && <> · request {api.problem.request_id}</>}
        </span>
      )}
    </div>
  );
}
