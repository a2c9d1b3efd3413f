// An erasure carried out at the ledger as the service's erasure route does
// it: shred the subject's key and values, then record erasure.complete (the
// subject by pseudonym, the erasure id as the event id), so verification
// finds the event every erasure record needs. For tests below the HTTP API.
import type { ErasureRecord, Ledger } from "@trailproof/ledger";
import { expect } from "vitest";

export async function eraseAsTheService(
  ledger: Ledger,
  tenant: string,
  subjectId: string,
  erasureId: string,
  occurredAt: Date,
): Promise<ErasureRecord> {
  const { record, created } = await ledger.eraseSubject(tenant, subjectId, {
    erasureId,
    requestedBy: "key_a",
    approvedBy: "key_b",
  });
  expect(created).toBe(true);
  expect(record.valuesErased).toBeGreaterThan(0);
  const [logged] = await ledger.append(
    tenant,
    [
      {
        id: erasureId,
        action: "erasure.complete",
        occurred_at: occurredAt.toISOString(),
        actor: { type: "service_account", id: "key_b" },
        target: { type: "erasure", id: erasureId },
        metadata: {
          erasure_id: erasureId,
          requested_by: "key_a",
          approved_by: "key_b",
          subject: record.subject,
          values_erased: record.valuesErased,
          entries_touched: record.entriesTouched,
        },
      },
    ],
    { appendedBy: { type: "service", id: "erasure" }, serviceRecord: true },
  );
  expect(logged?.status).toBe("created");
  return record;
}
