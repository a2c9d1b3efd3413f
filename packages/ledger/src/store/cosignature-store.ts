// Witness cosignatures at rest (docs/witness.md): each C2SP tlog-cosignature
// line a witness returned for one of a tenant's checkpoints, verified before
// it is stored. They are served attached to the checkpoint they cosign, and
// the largest size each witness cosigned is where the next submission starts.
export interface CosignatureRecord {
  tenantId: number;
  /** The tree size of the checkpoint it cosigns. */
  treeSize: number;
  /** The witness's verifier key (vkey, signature type 0x04). */
  witnessKey: string;
  /** The note signature line, without its newline. */
  line: string;
  /** The witness's timestamp, POSIX seconds. */
  timestamp: number;
  /** When the service received it (ISO 8601). */
  receivedAt: string;
}

export interface CosignatureStore {
  /**
   * Stores a cosignature. Idempotent per (tenant, tree size, witness key):
   * when one is stored already the first stays, and this returns false.
   * The caller MUST have verified the line against the witness key and the
   * checkpoint of that tree size.
   */
  putCosignature(record: CosignatureRecord): Promise<boolean>;
  /** The cosignatures on the tenant's checkpoint of `treeSize`, in the order received. */
  cosignaturesAt(tenantId: number, treeSize: number): Promise<CosignatureRecord[]>;
  /** How many cosignatures each of `treeSizes` has; sizes without any are left out. */
  countsAt(tenantId: number, treeSizes: readonly number[]): Promise<Map<number, number>>;
  /** Per witness key, the largest tree size it cosigned for the tenant. */
  latestCosigned(tenantId: number): Promise<Map<string, number>>;
  /**
   * The largest tree size whose checkpoint carries cosignatures from at least
   * `min` distinct witness keys (of `witnessKeys` when given); undefined when none does.
   */
  newestCosigned(tenantId: number, min: number, witnessKeys?: readonly string[]): Promise<number | undefined>;
}
