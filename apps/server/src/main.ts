// Entry point: `node apps/server/dist/main.js` after `npm run build`, or `trailproof serve`;
// from sources, `npm run trailproof:src -- serve`. A setting or start-up
// problem the operator can fix is one line and exit 2, as in the CLI.
import { TrailproofError } from "@trailproof/core";
import { loadConfig } from "./config.js";
import { startServer } from "./start-server.js";

// Listened for before the start, so a stop during first start still prints its keys.
const stopped = new Promise<void>((resolve) => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
});
let server: Awaited<ReturnType<typeof startServer>>;
try {
  server = await startServer(loadConfig(process.env));
} catch (err) {
  if (!(err instanceof TrailproofError)) throw err;
  process.stderr.write(`error ${err.code}: ${err.message}\n`);
  process.exit(2);
}
await stopped;
await server.close();
