// The service in a child process, seen from the bench: started the way
// `npm start` starts it (the `trailproof` command's `serve`, from
// apps/cli/package.json's bin, with no loader flags of ours), on a data
// directory and port 0; its URL and first-start operator key read from what
// it prints; its memory watched; stopped gracefully with SIGTERM.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { currentRssMb, RssSampler } from "./rss-sampler.js";

export interface ServerChild {
  pid: number;
  url: string;
  /** Only on a fresh data directory. */
  operatorKey: string | null;
  rss: RssSampler;
  /** Resident memory once listening, before any request. */
  startRssMb: number;
  close(): Promise<void>;
}

export interface ServerChildOptions {
  dataDir: string;
  logLevel: string;
  /** Write a V8 CPU profile of the server here when it exits. */
  cpuProfDir?: string;
}

const CLI_PACKAGE = fileURLToPath(new URL("../apps/cli/package.json", import.meta.url));

/** The file `trailproof` runs, as npm links it from the CLI's package.json. */
export function trailproofBin(): string {
  const pkg = JSON.parse(readFileSync(CLI_PACKAGE, "utf8")) as { bin: string | Record<string, string> };
  const bin = typeof pkg.bin === "string" ? pkg.bin : pkg.bin.trailproof;
  if (!bin) throw new Error(`${CLI_PACKAGE} names no trailproof bin`);
  return join(dirname(CLI_PACKAGE), bin);
}

const LISTENING = /^Trailproof listening on (\S+)/m;
const OPERATOR_KEY = /^operator key \(shown once[^)]*\): (\S+)/m;

export function startServerChild(options: ServerChildOptions): Promise<ServerChild> {
  const fresh = readdirSync(options.dataDir).length === 0;
  // npm start sets no NODE_OPTIONS: drop the bench's own (a source-loading condition, say).
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  const child = spawn(
    process.execPath,
    [
      ...(options.cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfDir}`] : []),
      trailproofBin(),
      "serve",
      "--data",
      options.dataDir,
      "--host",
      "127.0.0.1",
      "--port",
      "0",
      "--no-demo",
    ],
    {
      env: {
        ...env,
        TRAILPROOF_LOG_LEVEL: options.logLevel,
        // The bench drives far more requests per key than the default per-minute limit allows.
        TRAILPROOF_RATE_LIMIT_PER_MINUTE: "100000000",
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let printed = "";
    let ready = false;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("the server did not start within 60 s"));
    }, 60_000);
    void exited.then((code) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`the server exited with ${code} before it was ready`));
    });
    // The log goes to stdout too: read it to the end, or a full pipe would stall the server.
    child.stdout.on("data", (chunk: Buffer) => {
      if (ready) return;
      printed += chunk.toString();
      const url = LISTENING.exec(printed)?.[1];
      const operatorKey = OPERATOR_KEY.exec(printed)?.[1] ?? null;
      if (!url || (fresh && !operatorKey)) return;
      ready = true;
      clearTimeout(timer);
      const pid = child.pid as number;
      resolve({
        pid,
        url,
        operatorKey,
        rss: new RssSampler(pid),
        startRssMb: currentRssMb(pid),
        close: async () => {
          child.kill("SIGTERM");
          const kill = setTimeout(() => child.kill("SIGKILL"), 60_000);
          await exited;
          clearTimeout(kill);
        },
      });
    });
  });
}
