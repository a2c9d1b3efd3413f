// Leases: the one node that holds a role (signing checkpoints) among several
// over one database. A holder renews before expiry; when it dies the lease
// lapses and another node takes it within one ttl.

export interface LeaseStore {
  /**
   * Takes or renews the lease `name` for `holder` until now + ttlMs, and
   * resolves true, when it is free, lapsed or already held by `holder`;
   * resolves false while another holder's lease runs. MUST be atomic across
   * processes: two callers never both get true for overlapping terms.
   */
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up at once (a clean shutdown), if `holder` has it. */
  release(name: string, holder: string): Promise<void>;
}

/** One process, one store (the embedded SQLite store): this process always holds every lease. */
export const SOLE_PROCESS_LEASES: LeaseStore = {
  acquire: async () => true,
  release: async () => undefined,
};
