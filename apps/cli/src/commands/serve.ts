import { describeDatabase } from "@trailproof/ledger";
import { databaseOptionsOf, loadConfig, startServer } from "@trailproof/server";
import type { Command } from "commander";
import { asDataDirError } from "../data-dir.js";
import { asDatabaseError } from "../database-error.js";
import { addDatabaseOptions, type DatabaseFlags } from "../database-options.js";

export function registerServeCommand(program: Command): void {
  const serve = program
    .command("serve")
    .description(
      "start the HTTP service on the embedded SQLite store or a PostgreSQL database (demo tenant and data on fresh stores)",
    );
  addDatabaseOptions(serve, { migrate: true })
    .option("--port <port>", "TCP port (TRAILPROOF_PORT, default 8080)")
    .option("--host <host>", "interface (TRAILPROOF_HOST, default 127.0.0.1)")
    .option("--no-demo", "do not create the demo tenant on fresh stores")
    .option("--access-log", "log one line per request at info (TRAILPROOF_ACCESS_LOG=1; off by default)")
    .option(
      "--force-rollback",
      "start even if a tenant's log is smaller than, or differs from, the checkpoint it last published (an older backup restored)",
    )
    .action(
      async (
        opts: DatabaseFlags & {
          port?: string;
          host?: string;
          demo: boolean;
          accessLog?: boolean;
          forceRollback?: boolean;
        },
      ) => {
        const config = loadConfig(process.env, {
          dataDir: opts.data,
          database: opts.database,
          masterKeyFile: opts.masterKeyFile,
          migrateDatabase: opts.migrateDatabase,
          ...(opts.port ? { port: Number(opts.port) } : {}),
          ...(opts.host ? { host: opts.host } : {}),
          ...(opts.demo === false ? { demo: false } : {}),
          ...(opts.accessLog ? { accessLog: true } : {}),
        });
        // Listened for before the start: a Ctrl-C while first start fills the
        // stores waits for it, so the keys it made are printed before the stop
        // (a second Ctrl-C ends the process at once).
        const stopped = new Promise<void>((resolve) => {
          for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
        });
        const server = await startServer(config, console.log, { forceRollback: opts.forceRollback === true }).catch(
          (err: unknown) => {
            const store = databaseOptionsOf(config);
            throw store.database === undefined
              ? asDataDirError(err, store.dataDir as string)
              : asDatabaseError(err, describeDatabase(store));
          },
        );
        await stopped;
        // Prints the final checkpoint's line; a failure is the CLI's one line, exit 1.
        await server.close();
      },
    );
}
