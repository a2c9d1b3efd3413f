// The one place that loads the PostgreSQL driver (postgres.js). Every store
// of a database shares one pool; int8 columns come back as numbers (log
// indexes and sizes stay below 2^53, docs/log-format.md), bytea as Buffers.
import { connect, type Socket } from "node:net";
import postgres from "postgres";

export type PgSql = postgres.Sql<Record<string, unknown>>;
export type PgTx = postgres.TransactionSql<Record<string, unknown>>;
/** Either a pool or a transaction: what a store method runs its statements on. */
export type PgQueryable = PgSql | PgTx;

export interface PostgresClientOptions {
  /** Connections in the pool (default 10). */
  max?: number;
  /** application_name, shown in pg_stat_activity. */
  applicationName?: string;
}

/**
 * Opens a pool for `url` (postgres://user@host:port/database). TCP sockets
 * get Nagle off: postgres.js leaves it on, which measured here stalls a
 * pipelined transaction about 40 ms on loopback.
 */
export function openPostgres(url: string, options: PostgresClientOptions = {}): PgSql {
  const parsed = new URL(url);
  const tcp = parsed.hostname !== "" && !parsed.hostname.startsWith("%2F") && !parsed.searchParams.has("host");
  const socket = tcp
    ? () =>
        new Promise<Socket>((resolve, reject) => {
          const s = connect(Number(parsed.port || 5432), decodeURIComponent(parsed.hostname));
          s.setNoDelay(true);
          s.once("connect", () => resolve(s));
          s.once("error", reject);
        })
    : undefined;
  return postgres(url, {
    max: options.max ?? 10,
    // `socket` is documented and implemented by postgres.js 3.4 but missing from its types.
    ...(socket ? ({ socket } as object) : {}),
    onnotice: () => undefined,
    connect_timeout: 10,
    idle_timeout: 60,
    // Every table lives in the trailproof schema (postgres-migrations.ts).
    connection: { application_name: options.applicationName ?? "trailproof", search_path: "trailproof" },
    types: {
      bigint: {
        to: 20,
        from: [20],
        serialize: (x: number | bigint) => String(x),
        parse: (x: string) => Number(x),
      },
    },
  }) as unknown as PgSql;
}

/** A URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparsable database URL)";
  }
}
