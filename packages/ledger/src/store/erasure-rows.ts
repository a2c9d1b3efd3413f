// The rows of subject_keys and erasures as both backends store them (the
// same snake_case columns in SQLite and PostgreSQL), and the records the
// LogStore contract speaks.
import type { ErasureRecord, SubjectKeyRow } from "./log-store.js";

export interface SubjectKeySqlRow {
  subject: string;
  wrapped_key: Uint8Array | null;
  created_ms: number;
  erased_ms: number | null;
  erasure_id: string | null;
}

export interface ErasureSqlRow {
  erasure_id: string;
  subject: string;
  requested_by: string;
  approved_by: string;
  erased_ms: number;
  values_erased: number;
  entries_touched: number;
}

export const toSubjectKey = (r: SubjectKeySqlRow): SubjectKeyRow => ({
  subject: r.subject,
  wrappedKey: r.wrapped_key,
  createdMs: r.created_ms,
  erasedMs: r.erased_ms,
  erasureId: r.erasure_id,
});

export const toErasure = (r: ErasureSqlRow): ErasureRecord => ({
  erasureId: r.erasure_id,
  subject: r.subject,
  requestedBy: r.requested_by,
  approvedBy: r.approved_by,
  erasedMs: r.erased_ms,
  valuesErased: r.values_erased,
  entriesTouched: r.entries_touched,
});
