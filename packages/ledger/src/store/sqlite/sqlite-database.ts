// The slice of better-sqlite3 the store uses, as a structural type (kysely's
// SqliteDatabase habit): the engine never imports driver types.

export interface SqliteStatement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
}

export interface SqliteTransaction<T> {
  (arg: T): void;
  /** Takes the write lock at BEGIN, waiting out the busy timeout, rather than at the first write. */
  immediate(arg: T): void;
}

export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): unknown;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  /** Wraps `fn` in BEGIN/COMMIT (or BEGIN IMMEDIATE with .immediate), rolling back if it throws. */
  transaction<T>(fn: (arg: T) => void): SqliteTransaction<T>;
  close(): unknown;
}
