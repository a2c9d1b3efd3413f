// Rows of the cosignatures table (schema/014-cosignatures.ts and
// sqlite-cosignature-store.ts) and their records: one mapping for both
// backends (PostgreSQL hands bigint columns back as strings).
import type { CosignatureRecord } from "./cosignature-store.js";

export interface CosignatureRow {
  tenant_id: number;
  tree_size: string | number;
  witness_key: string;
  line: string;
  timestamp: string | number;
  received_at: string;
}

export function toCosignature(r: CosignatureRow): CosignatureRecord {
  return {
    tenantId: Number(r.tenant_id),
    treeSize: Number(r.tree_size),
    witnessKey: r.witness_key,
    line: r.line,
    timestamp: Number(r.timestamp),
    receivedAt: r.received_at,
  };
}
