// Child of access-log.test.ts: starts the service as `trailproof serve` does
// (settings from the environment, the pino logger on stdout), sends a few
// requests, prints DONE and shuts down. Argument: the data directory.
import { loadConfig, startServer } from "@trailproof/server";

const dataDir = process.argv[2] as string;
const server = await startServer(loadConfig(process.env, { dataDir, port: 0, demo: false }), (line) =>
  process.stdout.write(`${line}\n`),
);
for (const path of ["/healthz", "/readyz", "/v1/tenants", "/no-such-route"])
  await (await fetch(server.url + path)).text();
process.stdout.write("DONE\n");
await server.close();
