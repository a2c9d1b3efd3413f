// The slice of better-sqlite3 the store uses, as a structural type (kysely's
// SqliteDatabase habit): the engine never imports driver types.

export interface SqliteStatement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
}

export interface SqliteDatabase {
  /** True when the connection was opened read-only. */
  readonly readonly?: boolean;
  prepare(sql: string): SqliteStatement;
  exec(sql: string): unknown;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  /** Wraps `fn` in BEGIN/COMMIT, rolling back if it throws. */
  transaction<T>(fn: (arg: T) => void): (arg: T) => void;
  close(): unknown;
}
