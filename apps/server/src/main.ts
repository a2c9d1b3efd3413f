// Entry point: `node apps/server/dist/main.js` after `npm run build`, or `trailproof serve`;
// from sources, `npm run trailproof:src -- serve`.
import { loadConfig } from "./config.js";
import { startServer } from "./start-server.js";

const server = await startServer(loadConfig(process.env));
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
