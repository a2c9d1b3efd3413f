// "Verify now": the whole log checked in this browser, with a progress bar,
// and the result in words: valid, or every divergence found.
import { useRef, useState } from "react";
import { useApi } from "../api/api-context.js";
import { errorMessage } from "../api/api-error.js";
import type { VerifierKeys } from "../api/types.js";
import { Icon } from "../components/Icon.js";
import { formatNumber } from "../lib/format.js";
import { trustedKeys } from "../lib/pinned-key.js";
import { type LogVerification, logVerificationInBrowser } from "../lib/verify-log.js";

type Status =
  | { kind: "idle" }
  | { kind: "running"; done: number; total: number }
  | { kind: "done"; result: LogVerification; ms: number; pinned: boolean }
  | { kind: "error"; message: string };

/** `onVerified` hears of every finished run, so the page can show the checkpoint it was checked against. */
export function VerifyNow({
  keys,
  onVerified,
}: {
  keys: VerifierKeys;
  onVerified?: (result: LogVerification) => void;
}) {
  const { api } = useApi();
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const abort = useRef<AbortController | null>(null);

  const run = async () => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    const trusted = trustedKeys(keys);
    const started = performance.now();
    setStatus({ kind: "running", done: 0, total: 0 });
    try {
      const result = await logVerificationInBrowser(
        api,
        trusted,
        (done, total) => setStatus({ kind: "running", done, total }),
        controller.signal,
      );
      setStatus({ kind: "done", result, ms: performance.now() - started, pinned: trusted.pinned });
      onVerified?.(result);
    } catch (err) {
      if (!controller.signal.aborted) setStatus({ kind: "error", message: errorMessage(err) });
      else setStatus({ kind: "idle" });
    }
  };

  const running = status.kind === "running";
  const done = status.kind === "running" ? status.done : status.kind === "done" ? status.result.entriesChecked : 0;
  const total = status.kind === "running" ? status.total : status.kind === "done" ? status.result.treeSize : 0;
  const pct = total === 0 ? (status.kind === "done" ? 100 : 0) : Math.floor((100 * done) / total);

  return (
    <section className="card" aria-labelledby="verify-title">
      <h2 id="verify-title" className="card-title">
        Verify now
      </h2>
      <p className="muted small">
        Downloads every entry, recomputes every leaf hash and the Merkle root in this browser, and checks the root
        against the latest signed checkpoint. Nothing is taken on the server's word.
      </p>
      <div className="verify-row">
        <button type="button" className="btn btn-primary" onClick={() => void run()} disabled={running}>
          {running ? "Verifying…" : "Verify now"}
        </button>
        {running && (
          <button type="button" className="btn btn-ghost" onClick={() => abort.current?.abort()}>
            Cancel
          </button>
        )}
      </div>
      {status.kind !== "idle" && status.kind !== "error" && (
        <div className="progress-row">
          <progress id="verify-progress" max={100} value={pct} aria-label="Verification progress" />
          <span className="progress-text" aria-live="polite">
            {pct}% · {formatNumber(done)} of {formatNumber(total)} entries
          </span>
        </div>
      )}
      {status.kind === "error" && (
        <p className="notice notice-bad" role="alert">
          Verification could not finish: {status.message}
        </p>
      )}
      {status.kind === "done" &&
        (status.result.ok ? (
          <p className="notice notice-ok verify-result" role="status">
            <Icon name="check" /> <strong>Log valid.</strong> All {formatNumber(status.result.entriesChecked)} entries
            match checkpoint {formatNumber(status.result.treeSize)}, signature valid (
            {status.pinned ? "pinned key" : "published key"}); checked in {(status.ms / 1000).toFixed(1)} s.
          </p>
        ) : (
          <div className="notice notice-bad verify-result" role="alert">
            <p>
              <Icon name="cross" /> <strong>Log INVALID.</strong> {status.result.divergences.length} problem
              {status.result.divergences.length === 1 ? "" : "s"} found in {formatNumber(status.result.entriesChecked)}{" "}
              entries:
            </p>
            <ul>
              {status.result.divergences.map((d) => (
                <li key={`${d.kind}:${d.index}:${d.message}`}>
                  <code>{d.kind}</code>
                  {d.index !== null && <> at entry {formatNumber(d.index)}</>}: {d.message}
                </li>
              ))}
              {status.result.checkpointsVerified === 0 && <li>No checkpoint verified with a trusted key.</li>}
            </ul>
          </div>
        ))}
    </section>
  );
}
