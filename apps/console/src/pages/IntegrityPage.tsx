// /integrity (auditor; lazy chunk with recharts) — checkpoints over time,
// the latest signed checkpoint, the verifier key to pin, verify-now and the
// service's last scheduled self-check. A finished verification shows the
// checkpoint it checked and refreshes the history, so the page never shows
// an older checkpoint than the one verified.
import { useState } from "react";
import { useApi } from "../api/api-context.js";
import { ApiError } from "../api/api-error.js";
import type { CheckpointSummary, VerifierKeys } from "../api/types.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { Loading } from "../components/Loading.js";
import { PageHeader } from "../components/PageHeader.js";
import { CheckpointChart } from "../integrity/CheckpointChart.js";
import { SelfCheckCard } from "../integrity/SelfCheckCard.js";
import { VerifierKeyCard } from "../integrity/VerifierKeyCard.js";
import { VerifyNow } from "../integrity/VerifyNow.js";
import { useAsync } from "../lib/use-async.js";
import type { LogVerification } from "../lib/verify-log.js";

export default function IntegrityPage() {
  const { api } = useApi();
  const keys = useAsync(() => api.get<VerifierKeys>("/v1/log/key"), [api]);
  const checkpoint = useAsync(() => api.text("/v1/log/checkpoint"), [api]);
  const history = useAsync(
    () => api.get<{ checkpoints: CheckpointSummary[] }>("/v1/log/checkpoints", { limit: 200 }),
    [api],
  );
  const [verifiedNote, setVerifiedNote] = useState<string | undefined>(undefined);
  const latestNote = verifiedNote ?? checkpoint.data;
  const onVerified = (result: LogVerification) => {
    setVerifiedNote(result.checkpoint);
    history.reload();
  };

  return (
    <>
      <PageHeader
        title="Integrity"
        subtitle="Prove that nothing in this log was changed, removed or reordered since it was signed."
      />
      {keys.loading && <Loading label="Loading the verifier key" />}
      {keys.error !== undefined && <ErrorNotice error={keys.error} title="Could not load the verifier key" />}
      {keys.data && (
        <div className="integrity-grid">
          <VerifyNow keys={keys.data} onVerified={onVerified} />
          <SelfCheckCard />
          <VerifierKeyCard keys={keys.data} />
          {history.data && <CheckpointChart checkpoints={history.data.checkpoints} />}
          {history.error !== undefined && !(history.error instanceof ApiError && history.error.status === 404) && (
            <ErrorNotice error={history.error} title="Could not load the checkpoint history" />
          )}
          <section className="card" aria-labelledby="latest-title">
            <h2 id="latest-title" className="card-title">
              Latest signed checkpoint
            </h2>
            {latestNote ? (
              <pre className="json checkpoint-note">{latestNote}</pre>
            ) : checkpoint.error !== undefined ? (
              <ErrorNotice error={checkpoint.error} />
            ) : (
              <Loading />
            )}
          </section>
        </div>
      )}
    </>
  );
}
