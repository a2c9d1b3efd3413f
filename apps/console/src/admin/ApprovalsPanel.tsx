// Dual control (docs/api.md "Dual control"): the tenant's approvals, pending
// first, each with what it asks and who asked; a different admin approves or
// rejects a pending one. The server decides who may approve (nobody approves
// their own request) and the refusal is shown as it says it.
import type { WireApproval } from "@trailproof/protocol";
import { hasCode } from "../api/api-error.js";
import { Badge } from "../components/Badge.js";
import { ConfirmButton } from "../components/ConfirmButton.js";
import { DataTable } from "../components/DataTable.js";
import { EmptyState } from "../components/EmptyState.js";
import { Section } from "../components/Section.js";
import { formatTableTime, formatTime } from "../lib/format.js";
import { Loaded, OutcomeNotice } from "./AdminViews.js";
import { useAdminResource } from "./use-admin-resource.js";

const STATUS_TONE = { pending: "warn", approved: "ok", rejected: "neutral", expired: "neutral" } as const;

/** Pending first (the ones that need someone), then the newest first. */
export function sortApprovals(list: readonly WireApproval[]): WireApproval[] {
  return [...list].sort(
    (a, b) =>
      Number(b.status === "pending") - Number(a.status === "pending") || b.created_at.localeCompare(a.created_at),
  );
}

/** The request's parameters as "name: value" pairs, nested values as compact JSON. */
function requestText(request: Record<string, unknown>): string {
  const pairs = Object.entries(request).map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`);
  return pairs.length > 0 ? pairs.join(", ") : "—";
}

/** What carrying it out did, in words where the action is known (an erasure), as JSON otherwise. */
function outcomeText(approval: WireApproval): string {
  const outcome = approval.outcome;
  if (outcome === null) return approval.status === "approved" ? "carried out" : "—";
  const erasure = outcome.erasure as { id?: unknown; values_erased?: unknown } | undefined;
  if (approval.action === "erasure" && typeof erasure?.id === "string") {
    const again = outcome.already_erased === true ? " (already erased before)" : "";
    return `erasure ${erasure.id}: ${String(erasure.values_erased)} values erased${again}`;
  }
  return JSON.stringify(outcome);
}

export function ApprovalsPanel() {
  const approvals = useAdminResource((api) => api.get<{ approvals: WireApproval[] }>("/v1/approvals"));

  const decide = (a: WireApproval, verb: "approve" | "reject") =>
    void approvals.change(
      (api) => api.send<{ approval: WireApproval }>("POST", `/v1/approvals/${encodeURIComponent(a.id)}/${verb}`),
      ({ approval }) =>
        verb === "approve"
          ? `Approved ${approval.action} (${approval.id}); it is carried out: ${outcomeText(approval)}.`
          : `Rejected ${approval.action} (${approval.id}); nothing was changed.`,
    );

  return (
    <Section id="approvals-title" title="Approvals">
      <p className="muted">
        Changes one admin must not make alone (erasure, retention rules, lifting a legal hold, signing-key rotation)
        wait here until a different admin approves them; they expire after 72 hours. Nobody approves their own request.
      </p>
      <OutcomeNotice
        outcome={approvals.outcome}
        failureTitle="Not done"
        renderError={(error) =>
          hasCode(error, "APPROVAL_OWN_REQUEST") ? (
            <div className="notice notice-warn" role="alert">
              <strong>You cannot approve your own request.</strong> The server says: {(error as Error).message}{" "}
              <span className="notice-meta">
                <code>APPROVAL_OWN_REQUEST</code>
              </span>
            </div>
          ) : undefined
        }
      />
      <Loaded state={approvals.resource} what="approvals">
        {({ approvals: list }) =>
          list.length === 0 ? (
            <EmptyState title="No approvals yet">Requests that need a second admin appear here.</EmptyState>
          ) : (
            <DataTable
              caption="Approvals"
              columns={[
                "Status",
                "Action",
                "Request",
                "Requested by",
                "Created",
                "Expires",
                "Decided by",
                "Outcome",
                { title: "Actions", hidden: true },
              ]}
            >
              {sortApprovals(list).map((a) => (
                <tr key={a.id} data-approval={a.id}>
                  <td>
                    <Badge tone={STATUS_TONE[a.status]}>{a.status}</Badge>
                  </td>
                  <td className="mono small">{a.action}</td>
                  <td className="mono small break">{requestText(a.request)}</td>
                  <td className="mono small">{a.requested_by}</td>
                  <td title={formatTime(a.created_at)}>{formatTableTime(a.created_at)}</td>
                  <td title={formatTime(a.expires_at)}>{formatTableTime(a.expires_at)}</td>
                  <td className="mono small" title={a.decided_at ? formatTime(a.decided_at) : undefined}>
                    {a.decided_by ?? "—"}
                  </td>
                  <td className="small break">{outcomeText(a)}</td>
                  <td className="nowrap">
                    {a.status === "pending" && (
                      <>
                        <ConfirmButton
                          label="Approve"
                          confirmLabel="Confirm approve"
                          subject={a.id}
                          disabled={approvals.busy}
                          onConfirm={() => decide(a, "approve")}
                        />{" "}
                        <ConfirmButton
                          label="Reject"
                          confirmLabel="Confirm reject"
                          subject={a.id}
                          disabled={approvals.busy}
                          onConfirm={() => decide(a, "reject")}
                        />
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Loaded>
    </Section>
  );
}
