// The two views every admin panel shares: the loaded resource (loading, the
// error, or the content) and the outcome of the last change.
import type { ReactNode } from "react";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { Loading } from "../components/Loading.js";
import type { AsyncState } from "../lib/use-async.js";
import type { ChangeOutcome } from "./use-admin-resource.js";

/** Shows `children(data)` once loaded; while reloading after a change the old data stays on screen. */
export function Loaded<T>({
  state,
  what,
  children,
}: {
  state: AsyncState<T>;
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (state.error !== undefined) return <ErrorNotice error={state.error} title={`Could not load ${what}`} />;
  if (state.data === undefined) return <Loading label={`Loading ${what}`} />;
  return <>{children(state.data)}</>;
}

export function OutcomeNotice({
  outcome,
  failureTitle,
  renderError,
}: {
  outcome: ChangeOutcome;
  failureTitle: string;
  /** A panel's own view of an error (the schema checker's list of problems); the default notice otherwise. */
  renderError?: (error: unknown) => ReactNode;
}) {
  if (outcome.error !== undefined) {
    return <>{renderError?.(outcome.error) ?? <ErrorNotice error={outcome.error} title={failureTitle} />}</>;
  }
  if (!outcome.message) return null;
  return (
    <p className="notice notice-ok" role="status">
      {outcome.message}
    </p>
  );
}
