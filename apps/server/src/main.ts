// Entry point: `node apps/server/dist/main.js` after `npm run build`, or `trailproof serve`;
// from sources, `npm run trailproof:src -- serve`. A setting or start-up
// problem the operator can fix is one line and exit 2, as in the CLI.
import { TrailproofError } from "@trailproof/core";
import { loadConfig } from "./config.js";
import { startServer } from "./start-server.js";

let server: Awaited<ReturnType<typeof startServer>>;
try {
  server = await startServer(loadConfig(process.env));
} catch (err) {
  if (!(err instanceof TrailproofError)) throw err;
  process.stderr.write(`error ${err.code}: ${err.message}\n`);
  process.exit(2);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  });
}
