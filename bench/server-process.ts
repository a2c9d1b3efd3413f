// Child-process entry for the HTTP phases: the real service (startServer) on
// 127.0.0.1, port 0, with its own event loop and memory. Reports its URL over
// IPC and closes gracefully on "close", so --cpu-prof can write its profile.
import { DEFAULT_CONFIG, type ServerConfig, startServer } from "@trailproof/server";

const overrides = JSON.parse(process.env.BENCH_SERVER_CONFIG ?? "{}") as Partial<ServerConfig>;
const server = await startServer(
  { ...DEFAULT_CONFIG, demo: false, ...overrides, host: "127.0.0.1", port: 0 },
  () => undefined,
);
process.send?.({ type: "ready", url: server.url, operatorKey: server.created.operatorKey ?? null });

const stop = () => {
  server.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
};
process.on("message", (m) => {
  if (m === "close") stop();
});
// The parent died: do not outlive it.
process.on("disconnect", stop);
