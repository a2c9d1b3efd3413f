// The event's place in the log, proven in this browser: the checkpoint's
// signature, the inclusion proof and the leaf hash of what is shown. Any
// step that cannot be checked is a failure, shown as one.
import { useApi } from "../api/api-context.js";
import type { EventDetail, VerifierKeys } from "../api/types.js";
import { roleAtLeast } from "../auth/roles.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { Icon } from "../components/Icon.js";
import { Loading } from "../components/Loading.js";
import { formatNumber } from "../lib/format.js";
import { trustedKeys } from "../lib/pinned-key.js";
import { eventProofCheck } from "../lib/proof.js";
import { useAsync } from "../lib/use-async.js";
import { DownloadProofButton } from "./DownloadProofButton.js";

const STEP_NAMES: Record<string, string> = {
  proof: "No proof",
  leaf: "Leaf hash mismatch",
  key: "Verifier key unusable",
  signature: "Checkpoint signature invalid",
  checkpoint: "Checkpoint does not match the proof",
  inclusion: "Inclusion proof invalid",
};

export function ProofStatus({ detail }: { detail: EventDetail }) {
  const { api, role } = useApi();
  const canProve = roleAtLeast(role, "auditor");
  const keys = useAsync(
    () => (canProve ? api.get<VerifierKeys>("/v1/log/key") : Promise.resolve(undefined)),
    [api, canProve],
  );

  if (!canProve || !detail.proof) {
    return (
      <section className="card proof proof-none" aria-labelledby="proof-title">
        <h2 id="proof-title" className="card-title">
          Proof
        </h2>
        <p className="muted">Inclusion proofs are shown to auditors and admins.</p>
      </section>
    );
  }
  if (keys.loading) return <Loading label="Checking the proof" />;
  if (keys.error || !keys.data) return <ErrorNotice error={keys.error} title="Could not load the verifier key" />;

  const trusted = trustedKeys(keys.data);
  const check = eventProofCheck(detail, trusted);
  return (
    <section
      className={check.ok ? "card proof proof-ok" : "card proof proof-bad"}
      aria-labelledby="proof-title"
      data-testid="proof-status"
    >
      <h2 id="proof-title" className="card-title">
        <Icon name={check.ok ? "check" : "cross"} /> Proof {check.ok ? "verified" : "FAILED"}
      </h2>
      {check.ok ? (
        <>
          <p className="proof-line" role="status">
            Entry {formatNumber(check.index)} of checkpoint {formatNumber(check.treeSize)}, signature valid
          </p>
          <p className="muted small">
            Checked in this browser: the event hashes to its leaf, the inclusion proof leads to the signed root, and the
            checkpoint is signed by <span className="mono">{check.keyName}</span>{" "}
            {trusted.pinned
              ? "with the key pinned in this browser."
              : "with the key the server publishes (not pinned)."}
          </p>
          {typeof detail.event.id === "string" && <DownloadProofButton eventId={detail.event.id} />}
        </>
      ) : (
        <>
          <p className="proof-line" role="alert">
            {STEP_NAMES[check.step] ?? "Verification failed"}: {check.reason}
          </p>
          <p className="small">
            Do not rely on this event until the log has been verified. Run a full check from the Integrity page.
          </p>
        </>
      )}
    </section>
  );
}
