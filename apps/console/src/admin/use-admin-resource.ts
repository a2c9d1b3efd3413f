// What every admin panel does: load one resource, change it, reload it, and
// say how the change went. A change clears the last outcome first, so a
// notice never describes an older change than the one just made.
import { useCallback, useState } from "react";
import type { ApiClient } from "../api/api-client.js";
import { useApi } from "../api/api-context.js";
import { type AsyncState, useAsync } from "../lib/use-async.js";

export interface ChangeOutcome {
  /** What went wrong with the last change; undefined when it succeeded or none was made. */
  error: unknown;
  /** What the last successful change did, in words; "" when there is nothing to say. */
  message: string;
}

export interface AdminResource<T> {
  api: ApiClient;
  /** The loaded resource; `reload` fetches it again. */
  resource: AsyncState<T>;
  outcome: ChangeOutcome;
  /** True while a change is on its way (buttons disable themselves to avoid sending it twice). */
  busy: boolean;
  /**
   * Runs `change`; on success reloads the resource, says `done` (or what it
   * makes of the answer) and returns the answer; on failure shows the error
   * and returns undefined. It never throws.
   */
  change<R>(change: (api: ApiClient) => Promise<R>, done?: string | ((answer: R) => string)): Promise<R | undefined>;
  /** Shows a failure found before anything was sent (a draft that does not parse). */
  fail(error: unknown): void;
}

export function useAdminResource<T>(load: (api: ApiClient) => Promise<T>): AdminResource<T> {
  const { api } = useApi();
  const resource = useAsync(() => load(api), [api]);
  const [outcome, setOutcome] = useState<ChangeOutcome>({ error: undefined, message: "" });
  const [busy, setBusy] = useState(false);
  const { reload } = resource;

  const change = useCallback(
    async <R>(run: (api: ApiClient) => Promise<R>, done?: string | ((answer: R) => string)) => {
      setOutcome({ error: undefined, message: "" });
      setBusy(true);
      try {
        const answer = await run(api);
        setOutcome({ error: undefined, message: typeof done === "function" ? done(answer) : (done ?? "") });
        reload();
        return answer;
      } catch (error) {
        setOutcome({ error, message: "" });
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [api, reload],
  );
  const fail = useCallback((error: unknown) => setOutcome({ error, message: "" }), []);

  return { api, resource, outcome, busy, change, fail };
}
