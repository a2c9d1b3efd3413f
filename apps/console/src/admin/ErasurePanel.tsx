// Erasure (docs/api.md "Erasure", docs/runbooks/erasure.md): ask to erase one
// subject's personal values (dual control: a different admin approves it in
// the Approvals tab), and the completed erasures with their receipts, which
// the requester keeps and verifies offline.
import type { WireApproval, WireErasure } from "@trailproof/protocol";
import { type FormEvent, useState } from "react";
import { DataTable } from "../components/DataTable.js";
import { EmptyState } from "../components/EmptyState.js";
import { Section } from "../components/Section.js";
import { downloadBlob } from "../lib/download.js";
import { formatNumber, formatTableTime, formatTime } from "../lib/format.js";
import { Link } from "../router/router.js";
import { Loaded, OutcomeNotice } from "./AdminViews.js";
import { useAdminResource } from "./use-admin-resource.js";

type ErasureSummary = Omit<WireErasure, "receipt">;

/** What the request became: waiting for a second admin, or (single-admin mode) carried out at once. */
function RequestedNotice({ subject, approval }: { subject: string; approval: WireApproval }) {
  if (approval.status === "pending") {
    return (
      <p className="notice notice-info" role="status">
        <strong>Erasure of {subject} requested.</strong> It waits for a different admin to approve it (approval{" "}
        <span className="mono">{approval.id}</span>) in <Link to="/admin?tab=approvals">Approvals</Link>; nothing is
        erased until then.
      </p>
    );
  }
  const erasure = approval.outcome?.erasure as { id?: string; values_erased?: number } | undefined;
  return (
    <p className="notice notice-ok" role="status">
      <strong>Erasure of {subject} carried out</strong> (single-admin mode): erasure{" "}
      <span className="mono">{erasure?.id ?? "?"}</span>, {formatNumber(erasure?.values_erased ?? 0)} values erased
      {approval.outcome?.already_erased === true ? " earlier: this subject was already erased" : ""}.
    </p>
  );
}

export function ErasurePanel() {
  const erasures = useAdminResource((api) => api.get<{ erasures: ErasureSummary[] }>("/v1/erasures"));
  const [subject, setSubject] = useState("");
  const [requested, setRequested] = useState<{ subject: string; approval: WireApproval } | null>(null);

  const request = async (e: FormEvent) => {
    e.preventDefault();
    setRequested(null);
    const id = subject.trim();
    const answer = await erasures.change((api) =>
      api.send<{ approval: WireApproval }>("POST", "/v1/erasures", { subject: { id } }),
    );
    if (answer) {
      setRequested({ subject: id, approval: answer.approval });
      setSubject("");
    }
  };

  const download = (summary: ErasureSummary) =>
    void erasures.change(async (api) => {
      const { receipt } = await api.get<WireErasure>(`/v1/erasures/${encodeURIComponent(summary.id)}`);
      // No signed checkpoint covers the erasure.complete entry until the publisher's next interval.
      if (receipt === null) throw new Error("No signed checkpoint covers this erasure yet; try again in a minute.");
      const json = `${JSON.stringify(receipt, null, 2)}\n`;
      downloadBlob(new Blob([json], { type: "application/json" }), `erasure-receipt-${summary.id}.json`);
    }, `Receipt of ${summary.id} downloaded.`);

  return (
    <div className="panel-stack">
      <Section id="erasures-title" title="Erasures">
        <p className="muted">
          An erasure destroys a subject's data key, so their personal values can no longer be read; every leaf and proof
          stays valid. Keep each receipt and check it offline with{" "}
          <code>trailproof verify --erasure-receipt receipt.json --key VERIFIER_KEY</code> (the verifier key pinned from{" "}
          <span className="mono">GET /v1/log/key</span>; see the erasure runbook).
        </p>
        <Loaded state={erasures.resource} what="erasures">
          {({ erasures: list }) =>
            list.length === 0 ? (
              <EmptyState title="No erasures yet">Completed erasures and their receipts appear here.</EmptyState>
            ) : (
              <DataTable
                caption="Erasures"
                columns={[
                  "Erasure",
                  "Subject (pseudonym)",
                  "Values erased",
                  "Requested and approved by",
                  "Erased",
                  { title: "Actions", hidden: true },
                ]}
              >
                {[...list].reverse().map((r) => (
                  <tr key={r.id} data-erasure={r.id}>
                    <td className="mono small break">{r.id}</td>
                    <td className="mono small break">{r.subject}</td>
                    <td>
                      {formatNumber(r.values_erased)}{" "}
                      <span className="muted small">in {formatNumber(r.entries_touched)} entries</span>
                    </td>
                    <td className="small">
                      <span className="mono">{r.requested_by}</span>
                      <br />
                      approved by <span className="mono">{r.approved_by}</span>
                    </td>
                    <td title={formatTime(r.erased_at)}>{formatTableTime(r.erased_at)}</td>
                    <td className="nowrap">
                      <button
                        type="button"
                        className="btn btn-small"
                        aria-label={`Download receipt ${r.id}`}
                        disabled={erasures.busy}
                        onClick={() => download(r)}
                      >
                        Download receipt
                      </button>
                    </td>
                  </tr>
                ))}
              </DataTable>
            )
          }
        </Loaded>
      </Section>
      <section className="card erasure-request" aria-labelledby="erasure-new">
        <h2 id="erasure-new" className="card-title">
          Request an erasure
        </h2>
        <form className="stack-form" onSubmit={(e) => void request(e)}>
          <label className="field">
            <span className="field-label">Subject id</span>
            <input
              value={subject}
              onChange={(e) => setSubject(e.target.value)}
              required
              maxLength={256}
              placeholder="usr_ada"
              className="mono"
            />
          </label>
          <p className="muted small">
            The actor or target id whose personal values are erased everywhere in this tenant. A different admin
            approves it before anything is erased; it cannot be undone.
          </p>
          <button type="submit" className="btn btn-primary" disabled={erasures.busy || subject.trim() === ""}>
            Request erasure
          </button>
        </form>
        {requested && <RequestedNotice subject={requested.subject} approval={requested.approval} />}
        <OutcomeNotice outcome={erasures.outcome} failureTitle="Not done" />
      </section>
    </div>
  );
}
