import { loadConfig, startServer } from "@trailproof/server";
import type { Command } from "commander";

export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("start the HTTP service on the embedded SQLite store (demo tenant and data on a fresh data directory)")
    .option("--data <dir>", "data directory (TRAILPROOF_DATA, default ./data)")
    .option("--port <port>", "TCP port (TRAILPROOF_PORT, default 8080)")
    .option("--host <host>", "interface (TRAILPROOF_HOST, default 127.0.0.1)")
    .option("--no-demo", "do not create the demo tenant on a fresh data directory")
    .option(
      "--force-rollback",
      "start even if a tenant's log is smaller than, or differs from, the checkpoint it last published (an older backup restored)",
    )
    .action(async (opts: { data?: string; port?: string; host?: string; demo: boolean; forceRollback?: boolean }) => {
      const config = loadConfig(process.env, {
        ...(opts.data ? { dataDir: opts.data } : {}),
        ...(opts.port ? { port: Number(opts.port) } : {}),
        ...(opts.host ? { host: opts.host } : {}),
        ...(opts.demo === false ? { demo: false } : {}),
      });
      const server = await startServer(config, console.log, { forceRollback: opts.forceRollback === true });
      await new Promise<void>((resolve) => {
        for (const signal of ["SIGINT", "SIGTERM"] as const) {
          process.once(signal, () => {
            server.close().then(resolve, (err: unknown) => {
              console.error(err);
              process.exitCode = 1;
              resolve();
            });
          });
        }
      });
    });
}
